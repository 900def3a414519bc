# Shared helpers of the benchmark scripts (sourced): building, free ports, servers started
# and stopped by PID, wrk runs, medians.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
billion="${BILLION_BIN:-$root/build/harness/billion}"  # BILLION_BIN: another build
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

ensure_built() { [ -x "$billion" ] || "$root/scripts/build"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_mock FILES [serve flags...]: starts `billion serve` on a free port; sets mock_url, mock_pid.
start_mock() {
  local files=$1; shift
  local fifo; fifo=$(mktemp -u); mkfifo "$fifo"
  "$billion" serve --files "$files" --port 0 "$@" >"$fifo" &
  mock_pid=$!; pids+=("$mock_pid")
  local line; read -r line <"$fifo"; rm -f "$fifo"
  mock_url=${line#listening on }
}

# start_nginx [WWW]: one worker, tuned for small static files as a production server would be
# (open_file_cache: no open/stat per request; sendfile; tcp_nopush; no access log), serving
# WWW, or else a 100-byte file f.bin; sets nginx_url (of f.bin), nginx_base, nginx_pid.
start_nginx() {
  local dir; dir=$(mktemp -d); local port; port=$(free_port)
  local www=${1:-$dir/www}
  if [ -z "${1:-}" ]; then mkdir -p "$www"; head -c 100 /dev/urandom >"$www/f.bin"; fi
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  open_file_cache_errors on;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir; uwsgi_temp_path $dir; scgi_temp_path $dir;
  server { listen 127.0.0.1:$port; root $www; }
}
CONF
  nginx -c "$dir/nginx.conf" -p "$dir" &
  nginx_pid=$!; pids+=("$nginx_pid")
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  nginx_base="http://127.0.0.1:$port"
  nginx_url="$nginx_base/f.bin"
}

# wrk_rps CONNECTIONS DURATION URL: requests per second (one wrk thread).
wrk_rps() { wrk -t1 -c"$1" -d"$2" "$3" | awk '/^Requests\/sec:/ {print $2}'; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f\n", a/b}'; }
