{{/*
The Secret files each service reads, in one place: the ConfigMap's and the
Deployment's *_FILE flags point at <dir>/<key>, and the Deployment mounts
each Secret read-only with only those keys (items), so a pod never sees a
key it does not need (the service identity's private key: only the services
that act on their own behalf, "dermaflow.serviceIdentitySigners").

  include "dermaflow.secretMounts" (dict "root" $ "component" "notification")
  -> YAML list of {name: volume, secret: Secret, dir: mount path, keys: [...]}
*/}}

{{/* Mount directories, also used by the ConfigMap and the Deployment's env. */}}
{{- define "dermaflow.dir.jwt" -}}/etc/dermaflow/jwt{{- end }}
{{- define "dermaflow.dir.jwksCa" -}}/etc/dermaflow/jwks-ca{{- end }}
{{- define "dermaflow.dir.servicePublic" -}}/etc/dermaflow/service-identity{{- end }}
{{- define "dermaflow.dir.servicePrivate" -}}/etc/dermaflow/service-identity-key{{- end }}
{{- define "dermaflow.dir.smtp" -}}/etc/dermaflow/smtp{{- end }}
{{- define "dermaflow.dir.smtpCa" -}}/etc/dermaflow/smtp-ca{{- end }}
{{- define "dermaflow.dir.sms" -}}/etc/dermaflow/sms{{- end }}

{{/* "true" when the service identity is wired (jwt mode and a Secret named). */}}
{{- define "dermaflow.serviceIdentityOn" -}}
{{- if and (eq .Values.auth.mode "jwt") .Values.serviceIdentity.existingSecret }}true{{ end }}
{{- end }}

{{/* The services that act on their own behalf, with no person's token to
forward, and so sign their own short-lived tokens with the service identity's
private key: notification (event intake, dispatch) and scheduling (waitlist
offers: screening, patients' quiet hours, booking an offer a patient accepts
from a link). patient and protocol never get the private key. */}}
{{- define "dermaflow.serviceIdentitySigners" -}}notification scheduling{{- end }}

{{/* "true" when this component gets the service identity's private key
(the service identity wired and the component a signer).
  include "dermaflow.signsOwnCalls" (dict "root" $ "component" "scheduling") */}}
{{- define "dermaflow.signsOwnCalls" -}}
{{- if and (include "dermaflow.serviceIdentityOn" .root) (has .component (splitList " " (include "dermaflow.serviceIdentitySigners" .root))) }}true{{ end }}
{{- end }}

{{/* A signer's --service_token_key_file (dict "root" $ "component" name): empty for the others. */}}
{{- define "dermaflow.serviceSigningKeyEnv" -}}
{{- if include "dermaflow.signsOwnCalls" . }}
- name: DERMAFLOW_SERVICE_TOKEN_KEY_FILE
  value: {{ printf "%s/%s" (include "dermaflow.dir.servicePrivate" .) .root.Values.serviceIdentity.privateKeyKey | quote }}
{{- end }}
{{- end }}

{{/* "true" when SMTP AUTH is configured (a server and a user). */}}
{{- define "dermaflow.smtpAuthOn" -}}
{{- $e := .Values.notification.email }}
{{- if and $e.smtpUrl $e.user }}true{{ end }}
{{- end }}

{{/* Keys of auth.existingSecret the services read (the IdP's key material). */}}
{{- define "dermaflow.jwtKeys" -}}
{{- $a := .Values.auth }}
{{- $keys := list }}
{{- if eq $a.mode "jwt" }}
{{- range $k := list $a.jwksKey $a.rs256PublicKeyKey $a.hs256KeyKey }}
{{- if $k }}{{ $keys = append $keys $k }}{{ end }}
{{- end }}
{{- end }}
{{- toJson $keys }}
{{- end }}

{{- define "dermaflow.secretMounts" -}}
{{- $v := .root.Values }}
{{- $mounts := list }}
{{- $jwtKeys := include "dermaflow.jwtKeys" .root | fromJsonArray }}
{{- if $jwtKeys }}
{{- $secret := required "auth.existingSecret is required when auth.mode is jwt and a key of it is named (jwksKey, rs256PublicKeyKey, hs256KeyKey)" $v.auth.existingSecret }}
{{- $mounts = append $mounts (dict "name" "jwt" "secret" $secret "dir" (include "dermaflow.dir.jwt" .) "keys" $jwtKeys "private" (ne $v.auth.hs256KeyKey "")) }}
{{- end }}
{{- if and (eq $v.auth.mode "jwt") $v.auth.jwksUrl $v.auth.jwksCaSecret }}
{{- $mounts = append $mounts (dict "name" "jwks-ca" "secret" $v.auth.jwksCaSecret "dir" (include "dermaflow.dir.jwksCa" .) "keys" (list $v.auth.jwksCaKey)) }}
{{- end }}
{{- if include "dermaflow.serviceIdentityOn" .root }}
{{- $mounts = append $mounts (dict "name" "service-identity" "secret" $v.serviceIdentity.existingSecret "dir" (include "dermaflow.dir.servicePublic" .) "keys" (list $v.serviceIdentity.publicKeyKey)) }}
{{- if include "dermaflow.signsOwnCalls" . }}
{{- $mounts = append $mounts (dict "name" "service-identity-key" "secret" $v.serviceIdentity.existingSecret "dir" (include "dermaflow.dir.servicePrivate" .) "keys" (list .root.Values.serviceIdentity.privateKeyKey) "private" true) }}
{{- end }}
{{- end }}
{{- if eq .component "notification" }}
{{- $e := $v.notification.email }}
{{- if include "dermaflow.smtpAuthOn" .root }}
{{- $mounts = append $mounts (dict "name" "smtp" "secret" (required "notification.email.existingSecret is required with notification.email.user" $e.existingSecret) "dir" (include "dermaflow.dir.smtp" .) "keys" (list $e.passwordKey) "private" true) }}
{{- end }}
{{- if and $e.smtpUrl $e.caSecret }}
{{- $mounts = append $mounts (dict "name" "smtp-ca" "secret" $e.caSecret "dir" (include "dermaflow.dir.smtpCa" .) "keys" (list $e.caKey)) }}
{{- end }}
{{- $s := $v.notification.sms }}
{{- if eq $s.provider "webhook" }}
{{- $mounts = append $mounts (dict "name" "sms" "secret" (required "notification.sms.webhook.existingSecret is required with provider webhook" $s.webhook.existingSecret) "dir" (include "dermaflow.dir.sms" .) "keys" (list $s.webhook.secretKey) "private" true) }}
{{- else if eq $s.provider "twilio" }}
{{- $mounts = append $mounts (dict "name" "sms" "secret" (required "notification.sms.twilio.existingSecret is required with provider twilio" $s.twilio.existingSecret) "dir" (include "dermaflow.dir.sms" .) "keys" (list $s.twilio.authTokenKey) "private" true) }}
{{- end }}
{{- end }}
{{- toYaml $mounts }}
{{- end }}

{{/* notification's own flags: the e-mail and SMS channels (a channel left
unset only logs) and the SMS reply endpoint (its service-identity signing key:
"dermaflow.serviceSigningKeyEnv"). Values that are no secret as env values,
secrets as files. */}}
{{- define "dermaflow.notificationEnv" -}}
{{- $v := .Values }}
- name: DERMAFLOW_REMINDER_RETENTION
  value: {{ $v.notification.reminderRetention | quote }}
- name: DERMAFLOW_REMINDER_PARK_AFTER
  value: {{ $v.notification.reminderParkAfter | quote }}
- name: DERMAFLOW_PARK_PROMOTE_INTERVAL
  value: {{ $v.notification.parkPromoteInterval | quote }}
- name: DERMAFLOW_CLAIM_LEASE
  value: {{ $v.notification.claimLease | quote }}
- name: DERMAFLOW_EVENT_MIN_IDLE
  value: {{ $v.notification.eventMinIdle | quote }}
{{- $e := $v.notification.email }}
{{- if $e.smtpUrl }}
- name: DERMAFLOW_SMTP_URL
  value: {{ $e.smtpUrl | quote }}
- name: DERMAFLOW_SMTP_FROM
  value: {{ required "notification.email.from is required with notification.email.smtpUrl" $e.from | quote }}
{{- if $e.user }}
- name: DERMAFLOW_SMTP_USER
  value: {{ $e.user | quote }}
- name: DERMAFLOW_SMTP_PASSWORD_FILE
  value: {{ printf "%s/%s" (include "dermaflow.dir.smtp" .) $e.passwordKey | quote }}
{{- end }}
{{- if $e.caSecret }}
- name: DERMAFLOW_SMTP_CA_FILE
  value: {{ printf "%s/%s" (include "dermaflow.dir.smtpCa" .) $e.caKey | quote }}
{{- end }}
{{- end }}
{{- $s := $v.notification.sms }}
- name: DERMAFLOW_SMS_PROVIDER
  value: {{ $s.provider | quote }}
{{- if eq $s.provider "webhook" }}
- name: DERMAFLOW_SMS_WEBHOOK_URL
  value: {{ required "notification.sms.webhook.url is required with provider webhook" $s.webhook.url | quote }}
- name: DERMAFLOW_SMS_WEBHOOK_SECRET_FILE
  value: {{ printf "%s/%s" (include "dermaflow.dir.sms" .) $s.webhook.secretKey | quote }}
{{- else if eq $s.provider "twilio" }}
- name: DERMAFLOW_SMS_TWILIO_BASE_URL
  value: {{ $s.twilio.baseUrl | quote }}
- name: DERMAFLOW_SMS_TWILIO_ACCOUNT_SID
  value: {{ required "notification.sms.twilio.accountSid is required with provider twilio" $s.twilio.accountSid | quote }}
- name: DERMAFLOW_SMS_TWILIO_AUTH_TOKEN_FILE
  value: {{ printf "%s/%s" (include "dermaflow.dir.sms" .) $s.twilio.authTokenKey | quote }}
{{- with $s.twilio.from }}
- name: DERMAFLOW_SMS_FROM
  value: {{ . | quote }}
{{- end }}
{{- with $s.twilio.messagingServiceSid }}
- name: DERMAFLOW_SMS_TWILIO_MESSAGING_SERVICE_SID
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- /* Patients' replies: plain HTTP, TLS ends at the ingress; --scheduling_addr
comes with notification's other peers (deployment.yaml). */}}
{{- if include "dermaflow.smsRepliesOn" . }}
- name: DERMAFLOW_SMS_REPLY_LISTEN
  value: {{ printf "0.0.0.0:%d" (int $s.replies.port) | quote }}
{{- with $s.replies.publicUrl }}
- name: DERMAFLOW_SMS_REPLY_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
