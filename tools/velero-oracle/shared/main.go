// velero-oracle reports what Velero's node-agent would do with a node-agent config.
//
// This file is shared: v1.18.2/main.go and v1.16.2/main.go are symbolic links to it, and
// each module's velero.go supplies veleroVersion and evaluate(), built against that Velero
// release. See ../README.md for the output format.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	corev1 "k8s.io/api/core/v1"
)

// answer is one line of output. A nil field prints as null. After a decode error node-agent
// >= 1.17 exits, so every field but decodeError is null; node-agent 1.16 runs as if it had
// no config, and its answer says what it then does.
type answer struct {
	DecodeError         *string         `json:"decodeError"`
	Concurrency         map[string]int  `json:"concurrency"`
	GlobalConcurrency   *int            `json:"globalConcurrency"`
	PodResourcesDropped *bool           `json:"podResourcesDropped"`
	PodResourcesError   *string         `json:"podResourcesError"`
	LoadAffinityUsed    map[string]*int `json:"loadAffinityUsed"`
	LoadAffinityPanic   []string        `json:"loadAffinityPanic"`
	LoadAffinityUnused  []int           `json:"loadAffinityUnused"`
	PrepareQueueLength  *int            `json:"prepareQueueLength"`
	CachePVCIgnored     *string         `json:"cachePVCIgnored"`
	RulesSkipped        []skippedRule   `json:"rulesSkipped"`
}

type skippedRule struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
}

// recorder receives what the ported getDataPathConcurrentNum logs and the oracle reports:
// the global number after its defaulting, and each skipped rule.
type recorder struct {
	global  int
	skipped []skippedRule
}

// nodeSet is the --nodes file: node names in file order, and each node's labels.
type nodeSet struct {
	names  []string
	labels map[string]map[string]string
}

// get stands in for the GET of the node that node-agent does at start.
func (n nodeSet) get(name string) (map[string]string, bool) {
	l, ok := n.labels[name]
	return l, ok
}

// inlineNodes makes a nodeSet of a batch line's "nodes" (name -> labels), names sorted.
func inlineNodes(m map[string]map[string]string) nodeSet {
	ns := nodeSet{labels: m}
	for name := range m {
		ns.names = append(ns.names, name)
	}
	sort.Strings(ns.names)
	return ns
}

// readNodes reads what `kubectl get nodes -o json` prints (a List of Nodes).
func readNodes(path string) (nodeSet, error) {
	ns := nodeSet{labels: map[string]map[string]string{}}
	if path == "" {
		return ns, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ns, err
	}
	var list corev1.NodeList
	if err := json.Unmarshal(data, &list); err != nil {
		return ns, fmt.Errorf("%s: %w", path, err)
	}
	for _, n := range list.Items {
		if _, seen := ns.labels[n.Name]; !seen {
			ns.names = append(ns.names, n.Name)
		}
		ns.labels[n.Name] = n.Labels
	}
	return ns, nil
}

func ptr[T any](v T) *T { return &v }

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("velero-oracle-"+veleroVersion, flag.ContinueOnError)
	nodesFile := fs.String("nodes", "", "`FILE` printed by `kubectl get nodes -o json`")
	batch := fs.Bool("batch", false,
		`read one {"config": "<config text>", "nodes": {"<name>": {labels}}} per line ("nodes" optional: default --nodes), print one answer per line`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	nodes, err := readNodes(*nodesFile)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out) // one line per answer
	enc.SetEscapeHTML(false)

	if !*batch {
		config, err := io.ReadAll(stdin)
		if err != nil {
			return err
		}
		return enc.Encode(evaluate(string(config), nodes))
	}
	in := bufio.NewReader(stdin)
	for lineNo := 1; ; lineNo++ {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var req struct {
				Config *string                      `json:"config"`
				Nodes  map[string]map[string]string `json:"nodes"`
			}
			if jerr := json.Unmarshal(line, &req); jerr != nil || req.Config == nil {
				return fmt.Errorf(`stdin line %d: want {"config": "<string>"}: %v`, lineNo, jerr)
			}
			lineNodes := nodes
			if req.Nodes != nil {
				lineNodes = inlineNodes(req.Nodes)
			}
			if eerr := enc.Encode(evaluate(*req.Config, lineNodes)); eerr != nil {
				return eerr
			}
			if ferr := out.Flush(); ferr != nil { // answer each line at once, for pipes
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "velero-oracle:", err)
		os.Exit(2)
	}
}
