{{/* Release-scoped prefix of every resource name. */}}
{{- define "kairos.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one service's resources. Call with (dict "root" $ "name" $svcName). */}}
{{- define "kairos.serviceName" -}}
{{- printf "%s-%s" (include "kairos.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kairos.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "kairos.labels" -}}
{{ include "kairos.selectorLabels" . }}
app.kubernetes.io/part-of: kairos
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* Labels of resources that belong to no single service. */}}
{{- define "kairos.commonLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: kairos
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* registry/repository:tag; the tag defaults to the chart's appVersion. */}}
{{- define "kairos.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "kairos.secretName" -}}
{{- .Values.credentials.existingSecret | default (printf "%s-credentials" (include "kairos.fullname" .)) -}}
{{- end -}}

{{/* A service's settings over the chart-wide defaults. Call with (dict "root" $ "svc" $svc). */}}
{{- define "kairos.settings" -}}
{{- $d := .root.Values.defaults -}}
{{- toYaml (dict
  "replicas" (.svc.replicas | default $d.replicas)
  "resources" (.svc.resources | default $d.resources)
  "autoscaling" (merge (deepCopy (.svc.autoscaling | default dict)) $d.autoscaling)
  "podDisruptionBudget" (.svc.podDisruptionBudget | default $d.podDisruptionBudget)) -}}
{{- end -}}
