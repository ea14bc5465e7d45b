{{/* The chart name, overridable. */}}
{{- define "naw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "<release>-<chart>", or the release name when it already contains the chart name. */}}
{{- define "naw.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "naw.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "naw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "naw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "naw.labels" -}}
helm.sh/chart: {{ include "naw.chart" . }}
{{ include "naw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: admission-webhook
{{- end }}

{{- define "naw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "naw.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Service's name; the serving certificate is issued for it. */}}
{{- define "naw.serviceName" -}}
{{- include "naw.fullname" . }}
{{- end }}

{{/* The Secret holding tls.crt and tls.key (and ca.crt where the mode provides it). */}}
{{- define "naw.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "existingSecret" }}
{{- .Values.certificates.existingSecret.name }}
{{- else }}
{{- printf "%s-tls" (include "naw.fullname" .) }}
{{- end }}
{{- end }}

{{/* The serving certificate's DNS names: <svc>, <svc>.<ns>, <svc>.<ns>.svc, then the extra ones. */}}
{{- define "naw.dnsNames" -}}
{{- $svc := include "naw.serviceName" . }}
{{- $names := list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) }}
{{- concat $names .Values.certificates.extraDNSNames | toJson }}
{{- end }}

{{/* The Velero namespaces as a JSON list: the configured ones, else the release namespace. */}}
{{- define "naw.veleroNamespaces" -}}
{{- if .Values.velero.namespaces }}
{{- .Values.velero.namespaces | uniq | toJson }}
{{- else }}
{{- list .Release.Namespace | toJson }}
{{- end }}
{{- end }}

{{/* Every ConfigMap name the API server sends to the webhook, as a JSON list. */}}
{{- define "naw.webhookConfigMapNames" -}}
{{- $names := concat .Values.velero.configMapNames .Values.velero.extraConfigMapNames }}
{{- range $kind, $more := .Values.velero.kindConfigMapNames }}
{{- $names = concat $names $more }}
{{- end }}
{{- $names | uniq | toJson }}
{{- end }}

{{/* The server's --configmap-name values: node-agent's names bare, every other kind's as KIND=NAME. */}}
{{- define "naw.serverConfigMapNames" -}}
{{- $names := concat .Values.velero.configMapNames .Values.velero.extraConfigMapNames | uniq }}
{{- range $kind, $more := .Values.velero.kindConfigMapNames }}
{{- range $more }}
{{- $names = append $names (printf "%s=%s" $kind .) }}
{{- end }}
{{- end }}
{{- $names | toJson }}
{{- end }}

{{/* The image reference: the digest wins over the tag; the tag defaults to the appVersion. */}}
{{- define "naw.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "naw.kubectlImage" -}}
{{- printf "%s:%s" .Values.kubectl.image.repository .Values.kubectl.image.tag }}
{{- end }}

{{/* The restricted Pod Security profile, shared by the server and the hook pods. */}}
{{- define "naw.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.server.runAsUser }}
runAsGroup: {{ .Values.server.runAsGroup }}
fsGroup: {{ .Values.server.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "naw.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.server.runAsUser }}
runAsGroup: {{ .Values.server.runAsGroup }}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Combinations the schema cannot express. Called from every template that depends on them, so a bad
combination fails the render instead of producing a webhook that refuses every write.
*/}}
{{- define "naw.validate" -}}
{{- if and (not .Values.server.enabled) (not .Values.webhook.url) }}
{{- fail "server.enabled=false needs webhook.url: without a server in the cluster the API server must be told where the webhook runs" }}
{{- end }}
{{- if and .Values.server.enabled (le (int .Values.server.terminationGracePeriodSeconds) (int .Values.server.shutdownDelaySeconds)) }}
{{- fail "server.terminationGracePeriodSeconds must be larger than server.shutdownDelaySeconds, or the kubelet kills a draining pod" }}
{{- end }}
{{- if and .Values.server.enabled (eq .Values.certificates.mode "existingSecret") }}
{{- if not .Values.certificates.existingSecret.name }}
{{- fail "certificates.mode=existingSecret needs certificates.existingSecret.name" }}
{{- end }}
{{- if and (not .Values.webhook.url) (not .Values.certificates.existingSecret.caBundle) }}
{{- fail "certificates.mode=existingSecret needs certificates.existingSecret.caBundle (the PEM CA that signed the Secret's certificate)" }}
{{- end }}
{{- end }}
{{- range (include "naw.webhookConfigMapNames" . | fromJsonArray) }}
{{- if eq . "kube-root-ca.crt" }}
{{- fail "kube-root-ca.crt may not be a checked ConfigMap name: kube-controller-manager writes it into every namespace, so the webhook must never gate it" }}
{{- end }}
{{- end }}
{{- end }}
