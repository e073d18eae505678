{{/*
Names, labels and small computed values shared by every template.
Per-service templates range over the four services and call the component
helpers with (dict "root" $ "component" $name "svc" $svc).
*/}}

{{/* The four services, in call order (patient is called by the others). */}}
{{- define "dermaflow.serviceNames" -}}
patient protocol scheduling notification
{{- end }}

{{- define "dermaflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or the release name alone when it already holds the chart name. */}}
{{- define "dermaflow.fullname" -}}
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

{{- define "dermaflow.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "dermaflow.labels" -}}
helm.sh/chart: {{ include "dermaflow.chart" . }}
{{ include "dermaflow.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dermaflow
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "dermaflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dermaflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one service's resources: (dict "root" $ "component" $name). */}}
{{- define "dermaflow.componentLabels" -}}
{{ include "dermaflow.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "dermaflow.componentSelectorLabels" -}}
{{ include "dermaflow.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* <fullname>-<service>: the Deployment, Service, HPA, PDB and NetworkPolicy name. */}}
{{- define "dermaflow.componentFullname" -}}
{{- printf "%s-%s" (include "dermaflow.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dermaflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dermaflow.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* registry/repository:tag of one service: (dict "root" $ "svc" $svc). */}}
{{- define "dermaflow.image" -}}
{{- $tag := default .root.Chart.AppVersion .svc.image.tag }}
{{- if .root.Values.global.imageRegistry }}
{{- printf "%s/%s:%s" .root.Values.global.imageRegistry .svc.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .svc.image.repository $tag }}
{{- end }}
{{- end }}

{{/* Name of the Redis subchart's resources (Bitnami's fullname rule). */}}
{{- define "dermaflow.redisSubchartFullname" -}}
{{- if contains "redis" .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-redis" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* --redis: the subchart (its sentinels, or its primary), or the external
URL. The three URL forms the services take: redis:// (one server),
redis+sentinel://s1[:port][,s2...]/<master name>[/<db>] and
redis+cluster://host:port[,host:port...] (docs/operations.md, "Redis high
availability").
The subchart's names, from the Bitnami redis chart (bitnami/charts,
bitnami/redis: values.yaml `sentinel.enabled`, `sentinel.masterSet` default
"mymaster", `sentinel.service.ports.sentinel` default 26379, `auth.sentinel`
default true; templates/sentinel/service.yaml): with sentinel.enabled and
architecture replication it has no <fullname>-master Service, but one Service
<fullname> with the Redis port and the Sentinel port over every node; without
sentinel the primary is Service <fullname>-master on 6379. */}}
{{- define "dermaflow.redisUrl" -}}
{{- if .Values.redis.enabled }}
{{- $fullname := include "dermaflow.redisSubchartFullname" . }}
{{- if .Values.redis.sentinel.enabled }}
{{- if ne .Values.redis.architecture "replication" }}
{{- fail (printf "redis.sentinel.enabled needs redis.architecture replication (it is %q): Sentinel fails over to a replica" .Values.redis.architecture) }}
{{- end }}
{{- if and .Values.redis.auth.enabled (eq (toString (dig "sentinel" true .Values.redis.auth)) "false") }}
{{- fail "redis.auth.sentinel must stay true with redis.sentinel.enabled: the services send the one Redis password to the sentinels too" }}
{{- end }}
{{- $port := dig "service" "ports" "sentinel" 26379 .Values.redis.sentinel }}
{{- printf "redis+sentinel://%s:%v/%s/0" $fullname $port (required "redis.sentinel.masterSet is required with redis.sentinel.enabled" .Values.redis.sentinel.masterSet) }}
{{- else }}
{{- printf "redis://%s-master:6379/0" $fullname }}
{{- end }}
{{- else }}
{{- $url := required "redis.url is required when redis.enabled is false" .Values.redis.url }}
{{- if contains "@" $url }}
{{- fail "redis.url must not hold a password (user:password@): put it in the Secret redis.existingSecret" }}
{{- end }}
{{- if not (regexMatch "^(redis|redis\\+sentinel|redis\\+cluster)://" $url) }}
{{- fail (printf "redis.url must start with redis://, redis+sentinel:// or redis+cluster:// (it is %q)" $url) }}
{{- end }}
{{- $url }}
{{- end }}
{{- end }}

{{/* Secret and key with the Redis password; empty name when there is none. */}}
{{- define "dermaflow.redisPasswordSecret" -}}
{{- if .Values.redis.enabled }}
{{- if .Values.redis.auth.enabled }}
{{- default (include "dermaflow.redisSubchartFullname" .) .Values.redis.auth.existingSecret }}
{{- end }}
{{- else }}
{{- .Values.redis.existingSecret }}
{{- end }}
{{- end }}

{{- define "dermaflow.redisPasswordKey" -}}
{{- if .Values.redis.enabled }}
{{- default "redis-password" .Values.redis.auth.existingSecretPasswordKey }}
{{- else }}
{{- .Values.redis.existingSecretPasswordKey }}
{{- end }}
{{- end }}

{{/* host:port of a service for --patient_addr / --protocol_addr: (dict "root" $ "component" "patient"). */}}
{{- define "dermaflow.serviceAddress" -}}
{{- $svc := index .root.Values .component }}
{{- printf "%s:%v" (include "dermaflow.componentFullname" .) $svc.grpcPort }}
{{- end }}

{{/* "true" when notification receives patients' SMS replies (deployed, and
notification.sms.replies.enabled); stops an install that could not work:
no provider secret to verify the posts, no URL Twilio signs, no scheduling to
perform them in, a port taken, or a NetworkPolicy no ingress could pass. */}}
{{- define "dermaflow.smsRepliesOn" -}}
{{- $n := .Values.notification }}
{{- $r := $n.sms.replies }}
{{- if and $n.enabled $r.enabled }}
{{- if not (has $n.sms.provider (list "twilio" "webhook")) }}
{{- fail (printf "notification.sms.replies.enabled needs notification.sms.provider twilio or webhook (it is %q): the provider's auth token or webhook secret verifies the reply posts" $n.sms.provider) }}
{{- end }}
{{- if and (eq $n.sms.provider "twilio") (not $r.publicUrl) }}
{{- fail "notification.sms.replies.publicUrl is required with notification.sms.replies.enabled and provider twilio: the exact URL configured at Twilio for incoming messages (Twilio signs it), e.g. https://sms.clinic-chain.example/v1/sms/replies" }}
{{- end }}
{{- if not .Values.scheduling.enabled }}
{{- fail "notification.sms.replies.enabled needs scheduling.enabled: notification performs the replies through scheduling's PatientActionService" }}
{{- end }}
{{- if has (int $r.port) (list (int $n.grpcPort) (int $n.metricsPort) (int .Values.config.healthPort)) }}
{{- fail (printf "notification.sms.replies.port %d is already notification's gRPC, metrics or health port" (int $r.port)) }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (not .Values.networkPolicy.ingressNamespaceLabels) }}
{{- fail "notification.sms.replies.enabled with networkPolicy.enabled needs networkPolicy.ingressNamespaceLabels (the ingress controller's namespace): nothing else may reach the sms-replies port" }}
{{- end }}
{{- print "true" }}
{{- end }}
{{- end }}
