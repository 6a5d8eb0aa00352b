-- wrk script: prints one machine-readable line after the human summary.
-- Latencies are in microseconds; errors are wrk's counters.
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d " ..
		"max_us=%d bytes=%d non2xx=%d connect_err=%d read_err=%d " ..
		"write_err=%d timeouts=%d\n",
		summary.requests, summary.duration,
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(99), latency.max,
		summary.bytes, e.status, e.connect, e.read, e.write, e.timeout))
end
