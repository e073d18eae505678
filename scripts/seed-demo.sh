#!/usr/bin/env bash
# Seeds a demo organization into a running suite with dermactl, and with
# --demo plays a whole hydralift course with its reminders arriving live.
# Called by scripts/run-suite.sh (./dev up), which exports the DERMAFLOW_*
# addresses and DERMAFLOW_TOKEN; safe to run again (finds what exists).
#
# Usage: seed-demo.sh BUILD_DIR [--demo]
set -euo pipefail
BUILD_DIR="$1"; shift
DEMO=0
for arg in "$@"; do
  case "$arg" in
    --demo) DEMO=1 ;;
    *) echo "seed-demo: unknown argument $arg" >&2; exit 2 ;;
  esac
done
DCTL="$BUILD_DIR/bin/dermactl"
log() { printf '\033[1m[demo]\033[0m %s\n' "$*" >&2; }
step() { printf '\n\033[1;36m==> %s\033[0m\n' "$*"; }
# A Python expression over dermactl --json output (d), e.g.: ... | json "d['id']"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
dctl() { "$DCTL" "$@"; }

# --- the catalog ------------------------------------------------------------------
dctl protocols seed >/dev/null
protocol_id() {
  dctl --json protocols list | json "next(p['id'] for p in d.get('protocols', []) if p.get('source', {}).get('catalogKey') == '$1')"
}
HYDRALIFT=$(protocol_id mesotherapy_hydralift)

# --- clinics, practitioners, rooms (created once; found by name afterwards) -------------
find_by_name() {  # find_by_name <list command...> <collection> <display name>
  local name="${*: -1}" collection="${*: -2:1}"
  dctl --json "${@:1:$#-2}" | json "next((x['id'] for x in d.get('$collection', []) if x.get('displayName') == '''$name'''), '')"
}
# Each helper prints the id, or fails the script (dermactl has printed why).
must() { [[ -n "$1" ]] || { log "seeding stopped: $2 failed"; exit 1; }; echo "$1"; }
clinic() {  # clinic NAME ZONE HOURS PHONE STREET POSTAL_CODE CITY COUNTRY
  local id; id=$(find_by_name clinics list clinics "$1")
  [[ -n "$id" ]] || id=$(dctl clinics create --name="$1" --time_zone="$2" --hours="$3" --phone="$4" \
                          --address="$5" --postal_code="$6" --city="$7" --country="$8" \
                          --buffer=10m --slot_interval=15m) || true
  must "$id" "clinic $1"
}
practitioner() {  # practitioner NAME CLINIC HOURS CATEGORIES [--physician] [--subject=...]
  local id; id=$(find_by_name practitioners list practitioners "$1")
  [[ -n "$id" ]] || id=$(dctl practitioners create --name="$1" --clinics="$2" --hours="$3" --categories="$4" "${@:5}") || true
  must "$id" "practitioner $1"
}
room() {  # room CLINIC NAME
  local id; id=$(dctl --json rooms list --clinic="$1" |
    json "next((x['id'] for x in d.get('rooms', []) if x.get('displayName') == '''$2'''), '')")
  [[ -n "$id" ]] || id=$(dctl rooms create --clinic="$1" --name="$2") || true
  must "$id" "room $2"
}
patient() {  # patient GIVEN FAMILY BIRTH LOCALE EMAIL PHONE CLINIC [extra options]
  local id; id=$(dctl --json patients list --email="$5" | json "d['patients'][0]['id'] if d.get('patients') else ''")
  if [[ -z "$id" ]]; then
    id=$(dctl --json patients create --given_name="$1" --family_name="$2" --birth_date="$3" --locale="$4" \
           --email="$5" --phone="$6" --home_clinic="$7" --consent=email,in_app --preferred_channel=in_app \
           --pregnant=no --breastfeeding=no --diabetes=no --cancer_treatment=no --epilepsy=no \
           --allergies=none "${@:8}" | json "d['id']") || true
  fi
  must "$id" "patient $1 $2"
}

BERLIN=$(clinic "Dermaflow Berlin Mitte" Europe/Berlin "mon-fri 08:00-20:00; sat 09:00-16:00" +49301234567 \
         "Friedrichstraße 123" 10117 Berlin DE)
LONDON=$(clinic "Dermaflow London Marylebone" Europe/London "mon-fri 09:00-18:00; sat 10:00-14:00" +442071234567 \
         "12 Marylebone High Street" "W1U 4NS" London GB)
WEBER=$(practitioner "Dr. Anna Weber" "$BERLIN" "mon-fri 08:00-20:00; sat 09:00-16:00" \
        mesotherapy,mesobotox,collagen_injection,thread_lift --physician --subject=dr.weber)
SCHMIDT=$(practitioner "Lukas Schmidt" "$BERLIN" "mon-fri 10:00-18:00" collagen_induction --subject=l.schmidt)
SHAW=$(practitioner "Dr. Emily Shaw" "$LONDON" "mon-fri 09:00-18:00; sat 10:00-14:00" \
       mesotherapy,mesobotox,collagen_injection,collagen_induction,thread_lift --physician --subject=dr.shaw)
room "$BERLIN" "Raum 1" >/dev/null
room "$BERLIN" "Raum 2" >/dev/null
room "$LONDON" "Room 1" >/dev/null
ANNA=$(patient Anna Müller 1988-04-12 de anna.mueller@example.org +4915112345678 "$BERLIN" --anticoagulants=no)
patient Jürgen Becker 1975-11-02 de j.becker@example.org +4917098765432 "$BERLIN" --anticoagulants=yes >/dev/null
patient Olivia Hartley 1990-02-03 en olivia.hartley@example.org +447700900123 "$LONDON" --anticoagulants=no >/dev/null
patient James Whitmore 1969-08-21 en j.whitmore@example.org +447700900456 "$LONDON" --anticoagulants=no >/dev/null

log "demo organization 'demo': Berlin ($BERLIN, Europe/Berlin) and London ($LONDON, Europe/London),"
log "practitioners Dr. Anna Weber, Lukas Schmidt, Dr. Emily Shaw; rooms; the protocol catalog; 4 patients."
NEXT_WEEKDAY=$(python3 -c 'import datetime as d; t=d.date.today()+d.timedelta(1)
while t.weekday()>4: t+=d.timedelta(1)
print(t)')
cat <<EOF

Try (in another shell: source .run/env):
  dermactl patients list
  dermactl patients screen $ANNA --protocol=$HYDRALIFT
  dermactl slots --clinic=$BERLIN --protocol=$HYDRALIFT --date=$NEXT_WEEKDAY --practitioner=$WEBER

EOF
[[ $DEMO -eq 1 ]] || exit 0

# --- the --demo walk-through ----------------------------------------------------------------
# A studio open around the clock and a patient without quiet hours, so the
# course can be played at any hour; sessions 2 and 3 are moved to the next
# minute instead of waiting a week each.
STUDIO=$(clinic "Dermaflow Demo Studio (24/7)" Europe/Berlin "daily 00:00-24:00" +49301234500 \
         "Friedrichstraße 125" 10117 Berlin DE)
DEMO_DR=$(practitioner "Dr. Jonas Brandt" "$STUDIO" "daily 00:00-24:00" mesotherapy --physician --subject=dr.brandt)
room "$STUDIO" "Studio 1" >/dev/null
SABINE=$(patient Sabine Krause 1982-06-30 de sabine.krause@example.org +4915223344556 "$STUDIO" \
           --anticoagulants=no --quiet_hours=00:00-00:00)

wait_until() {  # wait_until RFC3339: sleeps until that instant (the session's start)
  local secs; secs=$(python3 -c "import datetime as d,sys; t=d.datetime.fromisoformat(sys.argv[1].replace('Z','+00:00')); print(max(0, int((t-d.datetime.now(d.timezone.utc)).total_seconds())+2))" "$1")
  log "waiting ${secs}s for the session to start at $1 ..."
  sleep "$secs"
}
start_of() { dctl --json appointments show "$1" | json "d['startTime']"; }

export DERMAFLOW_TIME_ZONE=Europe/Berlin  # show times as the studio does
step "Live: dermactl reminders watch --patient=$SABINE (messages appear below as they are delivered)"
dctl reminders watch --patient="$SABINE" > >(sed -u 's/^/    │ /') &
WATCH=$!  # dermactl's own pid (the process substitution keeps sed out of $!)
trap 'kill $WATCH 2>/dev/null || true' EXIT
sleep 1

step "Plan a hydralift course for Sabine Krause (German): 3 weekly sessions at the Demo Studio"
COURSE_JSON=$(dctl --json plan-course --patient="$SABINE" --protocol="$HYDRALIFT" --clinic="$STUDIO" \
                --practitioner="$DEMO_DR" --start=now+5s --areas=face,neck)
COURSE=$(echo "$COURSE_JSON" | json "d['id']")
mapfile -t SESSIONS < <(echo "$COURSE_JSON" | json "'\n'.join(a['id'] for a in d['appointments'])")
dctl course show "$COURSE"

for i in 0 1 2; do
  n=$((i + 1))
  if [[ $i -gt 0 ]]; then
    step "Session $n: a week is long for a demo, so it moves to the next minute (reminders move with it)"
    dctl reschedule "${SESSIONS[$i]}" --start=now+5s | grep -E '^(id|state|start):'
  fi
  wait_until "$(start_of "${SESSIONS[$i]}")"
  step "Session $n: check-in and treatment$([[ $i -eq 0 ]] && echo ' (bruising recorded: aftercare advises Arnika)')"
  dctl check-in "${SESSIONS[$i]}" | grep -E '^(id|state):'
  if [[ $i -eq 0 ]]; then
    dctl complete "${SESSIONS[$i]}" --side_effects=bruising --products='HydraMix 1 %:L2311:2 ml' |
      grep -E '^(id|state|treated|side effects):'
  else
    dctl complete "${SESSIONS[$i]}" | grep -E '^(id|state|treated):'
  fi
  sleep 4  # the aftercare message arrives in the live view above
done

step "The course is completed; maintenance is due six months after the last session"
dctl course show "$COURSE" | grep -E '^(id|state|sessions|maintenance due):'
sleep 2
dctl reminders list --course="$COURSE" --kinds=maintenance,maintenance_nudge
step "All of Sabine's reminders"
dctl reminders list --patient="$SABINE"
kill $WATCH 2>/dev/null || true
log "demo done: the suite keeps running (Ctrl-C stops it)."
