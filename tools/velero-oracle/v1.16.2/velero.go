package main

import (
	"encoding/json"
	"fmt"
	"math"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/vmware-tanzu/velero/pkg/nodeagent"
	"github.com/vmware-tanzu/velero/pkg/util/kube"
)

const veleroVersion = "v1.16.2"

// defaultDataPathConcurrentNum: pkg/cmd/cli/nodeagent/server.go, v1.16.2.
const defaultDataPathConcurrentNum = 1

func evaluate(config string, nodes nodeSet) answer {
	// The decode of nodeagent.GetConfigs (pkg/nodeagent/node_agent.go, v1.16.2).
	var a answer
	configs := &nodeagent.Configs{}
	if err := json.Unmarshal([]byte(config), configs); err != nil {
		// getDataPathConfigs (server.go, v1.16.2) logs a Warn and leaves s.dataPathConfigs
		// nil: node-agent runs as if there were no config. Say so, and go on with nil.
		a.DecodeError, configs = ptr(err.Error()), nil
	}

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

	// podResources: newNodeAgentServer, pkg/cmd/cli/nodeagent/server.go, v1.16.2 (no
	// ephemeral storage values in this release).
	a.PodResourcesDropped = ptr(false)
	if configs != nil && configs.PodResources != nil {
		if _, err := kube.ParseResourceRequirements(configs.PodResources.CPURequest, configs.PodResources.MemoryRequest, configs.PodResources.CPULimit, configs.PodResources.MemoryLimit); err != nil {
			a.PodResourcesDropped, a.PodResourcesError = ptr(true), ptr(err.Error())
		}
	}

	// loadAffinity: server.go uses s.dataPathConfigs.LoadAffinity[0] for every expose; there
	// is no storageClass field in this release, so "" is the only key.
	a.LoadAffinityUsed, a.LoadAffinityPanic = map[string]*int{"": nil}, []string{}
	a.LoadAffinityUnused = []int{}
	if configs != nil && len(configs.LoadAffinity) > 0 {
		a.LoadAffinityUsed[""] = ptr(0)
		for i := 1; i < len(configs.LoadAffinity); i++ {
			if configs.LoadAffinity[i] != nil {
				a.LoadAffinityUnused = append(a.LoadAffinityUnused, i)
			}
		}
	}

	// prepareQueueLength does not exist in this release: loads are never constrained.
	a.PrepareQueueLength = ptr(0)
	return a
}

// getDataPathConcurrentNum is (*nodeAgentServer).getDataPathConcurrentNum of
// pkg/cmd/cli/nodeagent/server.go at velero v1.16.2 (lines 561-615), ported line by line
// because it is unexported. The only differences:
//   - s.dataPathConfigs and s.nodeName are the parameters configs and nodeName;
//   - the GET of the node (s.kubeClient.CoreV1().Nodes().Get) is a lookup in the --nodes file;
//   - the range loop also takes the rule's index, and the log calls that the oracle reports
//     are calls on rec (the others are kept as comments).
func getDataPathConcurrentNum(configs *nodeagent.Configs, nodes nodeSet, nodeName string, defaultNum int, rec *recorder) int {
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
