# Shared by the bench scripts (sourced, not run). They set `work` (a scratch folder) before
# sourcing. Every server runs as a background job of the script, stopped by its EXIT trap.

# Starts nginx with one worker and `body` inside its http block: nginx_start NAME BODY.
nginx_start() {
  cat > "$work/$1.conf" <<CONF
worker_processes 1;
pid $work/$1.pid;
error_log $work/$1.error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $work/body-$1; proxy_temp_path $work/proxy-$1;
  $2 }
CONF
  nginx -c "$work/$1.conf" -g 'daemon off;' &
}

# The upstream every bench proxies to (a short fixed answer) on UPSTREAM_PORT, and with
# PROXY_PORT nginx as a plain reverse proxy in front of it, as separate processes so neither
# proxy shares a worker with the upstream: nginx_pair UPSTREAM_PORT [PROXY_PORT [LISTEN_EXTRA]].
nginx_pair() {
  nginx_start upstream "server { listen 127.0.0.1:$1; keepalive_requests 1000000;
    location / { return 200 \"hello from upstream\n\"; } }"
  [ -n "${2:-}" ] || return 0
  nginx_start proxy "upstream backend { server 127.0.0.1:$1; keepalive 128; }
    server { listen 127.0.0.1:$2 ${3:-}; keepalive_requests 1000000; location / {
      proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
}

# The nginx proxy's worker process (the one that does the work), once it has started.
nginx_proxy_worker() {
  for _ in $(seq 50); do
    [ -s "$work/proxy.pid" ] && pgrep -P "$(cat "$work/proxy.pid")" && return 0
    sleep 0.1
  done
  echo "nginx did not start" >&2
  return 1
}

# Istio's Gateway, VirtualService and ServiceEntry sending every request of namespace foo to
# the upstream on UPSTREAM_PORT, labelled app: httpbin: mesh_yaml UPSTREAM_PORT.
mesh_yaml() {
  cat <<CONF
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: gw, namespace: foo}
spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: vs, namespace: foo}
spec:
  hosts: ["*"]
  gateways: [gw]
  http: [{route: [{destination: {host: app.foo.svc.cluster.local, port: {number: 80}}}]}]
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: app, namespace: foo}
spec:
  hosts: [app.foo.svc.cluster.local]
  ports: [{number: 80, name: http, protocol: HTTP, targetPort: $1}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1, ports: {http: $1}, labels: {app: httpbin}}]
CONF
}

# wrk against URL (64 connections or CONNECTIONS, DURATION or 10 s): measure NAME URL [PID
# [HEADER]]. Prints requests/s, p99 and, with PID, that process's CPU time per request;
# appends the rate to $work/NAME.rps. Any non-2xx answer stops the script: a benchmark of
# errors measures nothing.
measure() {
  local before=0 after=0
  [ -n "${3:-}" ] && before=$(cpu_ticks "$3")
  wrk -t1 -c"${CONNECTIONS:-64}" -d"${DURATION:-10s}" --latency ${4:+-H "$4"} "$2" \
    > "$work/$1.txt"
  [ -n "${3:-}" ] && after=$(cpu_ticks "$3")
  if grep -q "Non-2xx" "$work/$1.txt"; then
    echo "$1: some answers were not 2xx:" >&2
    grep "Non-2xx" "$work/$1.txt" >&2
    exit 1
  fi
  local rps
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  awk -v n="$1" -v r="$rps" -v p="$(awk '$1=="99%" {print $2}' "$work/$1.txt")" \
    -v c="$((after - before))" -v t="$(awk '/requests in/ {print $1}' "$work/$1.txt")" \
    -v hz="$(getconf CLK_TCK)" -v cpu="${3:+1}" 'BEGIN {
      printf "%-9s %9.0f req/s  p99 %-8s", n, r, p
      if (cpu) printf "  cpu %.1f us/req", c * 1e6 / hz / t
      printf "\n" }'
  echo "$rps" >> "$work/$1.rps"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user+system clock ticks

# The mean of the rates measured under NAME.
mean_rps() { awk '{ s += $1 } END { print s / NR }' "$work/$1.rps"; }
