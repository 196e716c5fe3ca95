{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "flock-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: the prefix of every object's name. Uses the release name alone when it already contains
the chart name, so `helm install flock-operator` gives objects named flock-operator.
*/}}
{{- define "flock-operator.fullname" -}}
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

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "flock-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels. Argument: (list $ "component").
*/}}
{{- define "flock-operator.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "flock-operator.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/*
Standard labels of every object. Argument: (list $ "component").
*/}}
{{- define "flock-operator.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ include "flock-operator.chart" $root }}
{{ include "flock-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: flock-operator
{{- end }}

{{/*
Name of the ServiceAccount the operator runs as.
*/}}
{{- define "flock-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flock-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Operator image reference: repository@digest when a digest is set, else repository:tag (tag defaults to appVersion).
*/}}
{{- define "flock-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}
{{- end }}

{{/*
RBAC rules the operator needs in every namespace it watches. Least privilege, no wildcards:
- its own resources: read and patch spec/metadata (finalizers), write status;
- the workloads it owns (Deployments, Jobs, PVCs): full lifecycle;
- Secrets: read only (credentials are mounted by reference; the operator never writes Secrets);
- Pods: read (restarts and exit codes of workers); Events: emit.
*/}}
{{- define "flock-operator.operatorRules" -}}
- apiGroups: ["flock.io"]
  resources: ["flocktrainingnodes", "flockvalidators"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["flock.io"]
  resources: ["flocktrainingnodes/status", "flockvalidators/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["flock.io"]
  resources: ["flocktrainingnodes/finalizers", "flockvalidators/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/*
Cluster-scoped reads the operator always needs: nodes, for GPU-aware Auto placement.
*/}}
{{- define "flock-operator.nodeReaderRules" -}}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get", "list", "watch"]
{{- end }}
