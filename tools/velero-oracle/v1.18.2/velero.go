package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/vmware-tanzu/velero/pkg/constant"
	velerotypes "github.com/vmware-tanzu/velero/pkg/types"
	"github.com/vmware-tanzu/velero/pkg/util/kube"
)

const veleroVersion = "v1.18.2"

// defaultDataPathConcurrentNum: pkg/cmd/cli/nodeagent/server.go, v1.18.2.
const defaultDataPathConcurrentNum = 1

func evaluate(config string, nodes nodeSet) answer {
	// The decode of nodeagent.GetConfigs (pkg/nodeagent/node_agent.go, v1.18.2).
	configs := &velerotypes.NodeAgentConfigs{}
	if err := json.Unmarshal([]byte(config), configs); err != nil {
		// node-agent >= 1.17 exits (getDataPathConfigs returns the error).
		return answer{DecodeError: ptr(err.Error())}
	}

	var a answer
	a.Concurrency = map[string]int{}
	for _, name := range nodes.names {
		a.Concurrency[name] = getDataPathConcurrentNum(configs, nodes, name, defaultDataPathConcurrentNum, &recorder{})
	}
	// The global number and the skipped rules do not depend on the node: take them from one
	// more run, for a node without labels, so that they are there without --nodes too.
	probe := nodeSet{labels: map[string]map[string]string{"": nil}}
	rec := recorder{skipped: []skippedRule{}}
	getDataPathConcurrentNum(configs, probe, "", defaultDataPathConcurrentNum, &rec)
	a.GlobalConcurrency, a.RulesSkipped = ptr(rec.global), rec.skipped

	// podResources: newNodeAgentServer, pkg/cmd/cli/nodeagent/server.go, v1.18.2.
	a.PodResourcesDropped = ptr(false)
	if configs.PodResources != nil {
		ephemeralStorageRequest := constant.DefaultEphemeralStorageRequest
		if configs.PodResources.EphemeralStorageRequest != "" {
			ephemeralStorageRequest = configs.PodResources.EphemeralStorageRequest
		}
		ephemeralStorageLimit := constant.DefaultEphemeralStorageLimit
		if configs.PodResources.EphemeralStorageLimit != "" {
			ephemeralStorageLimit = configs.PodResources.EphemeralStorageLimit
		}
		if _, err := kube.ParseResourceRequirements(
			configs.PodResources.CPURequest,
			configs.PodResources.MemoryRequest,
			ephemeralStorageRequest,
			configs.PodResources.CPULimit,
			configs.PodResources.MemoryLimit,
			ephemeralStorageLimit,
		); err != nil {
			a.PodResourcesDropped, a.PodResourcesError = ptr(true), ptr(err.Error())
		}
	}

	// loadAffinity: the whole list is kept (server.go) and each expose picks an element with
	// kube.GetLoadAffinityByStorageClass. Ask it for every storageClass in the list, and "".
	a.LoadAffinityUsed, a.LoadAffinityPanic = map[string]*int{"": nil}, []string{}
	for _, la := range configs.LoadAffinity {
		if la != nil {
			a.LoadAffinityUsed[la.StorageClass] = nil
		}
	}
	for sc := range a.LoadAffinityUsed {
		idx, panicked := loadAffinityFor(configs.LoadAffinity, sc)
		a.LoadAffinityUsed[sc] = idx
		if panicked {
			a.LoadAffinityPanic = append(a.LoadAffinityPanic, sc)
		}
	}
	sort.Strings(a.LoadAffinityPanic)
	// The elements no lookup picks: no expose ever uses them.
	a.LoadAffinityUnused = []int{}
	for i, la := range configs.LoadAffinity {
		if la != nil && !picked(a.LoadAffinityUsed, i) {
			a.LoadAffinityUnused = append(a.LoadAffinityUnused, i)
		}
	}

	// prepareQueueLength: server.go starts the VGDP counter only when it is > 0.
	a.PrepareQueueLength = ptr(0)
	if configs.LoadConcurrency != nil && configs.LoadConcurrency.PrepareQueueLength > 0 {
		a.PrepareQueueLength = ptr(configs.LoadConcurrency.PrepareQueueLength)
	}
	// cachePVC: newNodeAgentServer keeps it only if validateCachePVCConfig (server.go,
	// v1.18.2, unexported) passes. Its first test is ported; the others GET the StorageClass,
	// which the oracle has no cluster for (the engine's cluster checks cover them).
	if configs.CachePVCConfig != nil && configs.CachePVCConfig.StorageClass == "" {
		a.CachePVCIgnored = ptr("storage class is absent")
	}
	return a
}

func picked(used map[string]*int, i int) bool {
	for _, idx := range used {
		if idx != nil && *idx == i {
			return true
		}
	}
	return false
}

// loadAffinityFor returns the index of the element that Velero's own
// kube.GetLoadAffinityByStorageClass picks for storage class sc (nil: none), and whether
// that lookup panics (a null element in the list is a nil pointer that it dereferences).
func loadAffinityFor(list []*kube.LoadAffinity, sc string) (idx *int, panicked bool) {
	defer func() {
		if recover() != nil {
			idx, panicked = nil, true
		}
	}()
	quiet := logrus.New()
	quiet.SetOutput(io.Discard)
	got := kube.GetLoadAffinityByStorageClass(list, sc, quiet)
	for i, la := range list {
		if got != nil && la == got {
			return ptr(i), false
		}
	}
	return nil, false
}

// getDataPathConcurrentNum is (*nodeAgentServer).getDataPathConcurrentNum of
// pkg/cmd/cli/nodeagent/server.go at velero v1.18.2 (lines 684-738), ported line by line
// because it is unexported. The only differences:
//   - s.dataPathConfigs and s.nodeName are the parameters configs and nodeName;
//   - the GET of the node (s.kubeClient.CoreV1().Nodes().Get) is a lookup in the --nodes file;
//   - the range loop also takes the rule's index, and the log calls that the oracle reports
//     are calls on rec (the others are kept as comments).
func getDataPathConcurrentNum(configs *velerotypes.NodeAgentConfigs, nodes nodeSet, nodeName string, defaultNum int, rec *recorder) int {
	if configs == nil || configs.LoadConcurrency == nil {
		// s.logger.Infof("Concurrency configs are not found, use the default number %v", defaultNum)
		rec.global = defaultNum
		return defaultNum
	}

	globalNum := configs.LoadConcurrency.GlobalConfig

	if globalNum <= 0 {
		// s.logger.Warnf("Global number %v is invalid, use the default value %v", globalNum, defaultNum)
		globalNum = defaultNum
	}
	rec.global = globalNum

	if len(configs.LoadConcurrency.PerNodeConfig) == 0 {
		return globalNum
	}

	curNodeLabels, found := nodes.get(nodeName)
	if !found {
		// s.logger.WithError(err).Warnf("Failed to get node info for %s, use the global number %v", s.nodeName, globalNum)
		return globalNum
	}

	concurrentNum := math.MaxInt32

	for i, rule := range configs.LoadConcurrency.PerNodeConfig {
		selector, err := metav1.LabelSelectorAsSelector(&(rule.NodeSelector))
		if err != nil {
			// s.logger.WithError(err).Warnf("Failed to parse rule with label selector %s, skip it", rule.NodeSelector.String())
			rec.skipped = append(rec.skipped, skippedRule{i, "invalid label selector: " + err.Error()})
			continue
		}

		if rule.Number <= 0 {
			// s.logger.Warnf("Rule with label selector %s is with an invalid number %v, skip it", rule.NodeSelector.String(), rule.Number)
			rec.skipped = append(rec.skipped, skippedRule{i, fmt.Sprintf("invalid number: %d", rule.Number)})
			continue
		}

		if selector.Matches(labels.Set(curNodeLabels)) {
			if concurrentNum > rule.Number {
				concurrentNum = rule.Number
			}
		}
	}

	if concurrentNum == math.MaxInt32 {
		// s.logger.Infof("Per node number for node %s is not found, use the global number %v", s.nodeName, globalNum)
		concurrentNum = globalNum
	} else {
		// s.logger.Infof("Use the per node number %v over global number %v for node %s", concurrentNum, globalNum, s.nodeName)
	}

	return concurrentNum
}
