# The summary table of make bench (tests/bench/run.sh): one input line per tree size,
#   functions floor_ms floor_kib pass_ms pass_kib status sh_ms fastest_floor fastest_pass
# Runs under mawk, Debian's awk: inside printf's arguments a bare '>' is output redirection,
# so every comparison there is in parentheses.
function r(x, y) { return (x == "" || y == "" || y + 0 == 0) ? "-" : sprintf("%.2f", x / y) }
# ms columns are medians; "(fastest)" is pass/floor between the fastest run of each
BEGIN {
	printf "%9s %10s %10s %11s %11s %10s %10s %9s %9s\n", "functions", "pass ms", "floor ms",
		"sh way ms", "pass/floor", "(fastest)", "sh/pass", "pass KiB", "floor KiB"
}
{
	n[NR] = $1; fl[NR] = $2; flr[NR] = $3; p[NR] = $4; pr[NR] = $5; st[NR] = $6; sh[NR] = $7
	printf "%9d %10s %10.3f %11.1f %11s %10s %10s %9s %9s\n", $1, ($4 == "" ? "-" : sprintf("%.3f", $4)),
		$2, $7, r($4, $2), r($9, $8), r($7, $4), ($5 == "" ? "-" : $5), $3
	if ($6 != "" && $6 != 0) bad = bad " " $1
	if ($5 != "" && $5 + 0 > maxrss) maxrss = $5 + 0
	if ($4 != "" && (worst == "" || $4 / $2 > worst)) worst = $4 / $2
	if ($4 != "" && (best == "" || $7 / $4 < best)) best = $7 / $4
}
END {
	if (NR < 2) exit
	print ""
	printf "growth %d -> %d functions (x%.0f):", n[1], n[NR], n[NR] / n[1]
	printf " floor x%.1f, sh way x%.1f", fl[NR] / fl[1], sh[NR] / sh[1]
	if (p[1] != "") printf ", pass x%.1f", p[NR] / p[1]
	print ""
	# marginal cost per added function between consecutive sizes (fixed costs cancel out)
	for (i = 2; i <= NR; i++) {
		dn = n[i] - n[i - 1]
		printf "per added function %d -> %d:  floor %.2f us", n[i - 1], n[i], (fl[i] - fl[i - 1]) * 1000 / dn
		if (p[1] != "") printf ", pass %.2f us", (p[i] - p[i - 1]) * 1000 / dn
		printf ", sh way %.0f us\n", (sh[i] - sh[i - 1]) * 1000 / dn
		if (p[1] != "" && i > 2) {
			a = (p[2] - p[1]) / (n[2] - n[1]); b = (p[i] - p[i - 1]) / dn
			lin = (a > 0) ? sprintf("%.2f", b / a) : "-"
		}
	}
	if (p[1] == "") { print "\nbinary not measured: no ratios"; exit }
	print ""
	printf "targets (reported, not enforced):\n"
	printf "  pass/floor <= 1.5x       worst %.2fx   %s\n", worst, (worst <= 1.5 ? "met" : "missed")
	printf "  sh/pass >= 100x          worst %.0fx   %s\n", best, (best >= 100 ? "met" : "missed")
	printf "  peak RSS < 2048 KiB      max %d KiB   %s\n", maxrss, (maxrss < 2048 ? "met" : "missed")
	if (lin != "")
		printf "  linear 64 -> 4096        per-function cost %d->%d / %d->%d = %s (1.00 = linear)\n",
			n[NR - 1], n[NR], n[1], n[2], lin
	if (bad != "") printf "  binary exited non-zero at:%s functions\n", bad
}
