# Sourced by the scripts that start `kaltura mock serve --port 0`: waits until the mock
# has written its base URL to "$1" (up to 10 s) and sets URL, or prints the mock's log
# ("$2") and fails.
wait_for_mock() {
    local url_file=$1 log=$2
    for _ in $(seq 1 100); do
        [ -s "$url_file" ] && break
        sleep 0.1
    done
    URL=$(head -n1 "$url_file")
    [ -n "$URL" ] || { echo "the mock did not start:"; cat "$log"; exit 1; }
    echo "mock at $URL"
}
