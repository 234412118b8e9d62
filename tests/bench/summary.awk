# The summary tables of make bench (tests/bench/run.sh): one input line per tree size,
#   functions floor_ms floor_kib pass_ms pass_kib status sh_ms fastest_floor fastest_pass
#   floor_syscalls pass_syscalls hotplug_syscalls floor_cpu_ms pass_cpu_ms sh_cpu_ms
# ("-" or nothing for a number that could not be had; CPU times are medians of user + system
# time). Runs under mawk, Debian's awk: inside printf's
# arguments a bare '>' is output redirection, so every comparison there is in parentheses.
function r(x, y) { return (x == "" || x == "-" || y == "" || y == "-" || y + 0 == 0) ? "-" : sprintf("%.2f", x / y) }
function known(x) { return x != "" && x != "-" }
# the pass/floor target for a tree of n functions: fixed costs (exec, command line, log) weigh
# more on a small tree
function limit(n) { return n < 1024 ? 1.6 : 1.3 }
# ms columns are medians; "(fastest)" is pass/floor between the fastest run of each
BEGIN {
	printf "%9s %10s %10s %11s %11s %10s %10s %9s %9s\n", "functions", "pass ms", "floor ms",
		"sh way ms", "pass/floor", "(fastest)", "sh/pass", "pass KiB", "floor KiB"
}
{
	n[NR] = $1; fl[NR] = $2; flr[NR] = $3; p[NR] = $4; pr[NR] = $5; st[NR] = $6; sh[NR] = $7
	fsc[NR] = $10; psc[NR] = $11; hsc[NR] = $12
	if (known($13) && known($14) && $13 > 0 && $14 > 0) {
		q = $14 / $13
		if (cworst == "" || q - limit($1) > cworst - cwlimit) { cworst = q; cwlimit = limit($1); cwn = $1 }
		if (known($15) && (cbest == "" || $15 / $14 < cbest)) { cbest = $15 / $14; cbn = $1 }
	}
	if ($4 != "" && (shfl == "" || $7 / $2 < shfl)) { shfl = $7 / $2; shn = $1 }
	printf "%9d %10s %10.3f %11.1f %11s %10s %10s %9s %9s\n", $1, ($4 == "" ? "-" : sprintf("%.3f", $4)),
		$2, $7, r($4, $2), r($9, $8), r($7, $4), ($5 == "" ? "-" : $5), $3
	if ($6 != "" && $6 != 0) bad = bad " " $1
	if ($5 != "" && $5 + 0 > maxrss) maxrss = $5 + 0
	if ($4 != "") {
		q = $4 / $2
		if (worst == "" || q - limit($1) > worst - wlimit) { worst = q; wlimit = limit($1); wn = $1 }
		if (q > limit($1)) over = over sprintf(" %d (%.2fx > %.1fx)", $1, q, limit($1))
	}
	if ($4 != "" && (best == "" || $7 / $4 < best)) best = $7 / $4
}
END {
	if (NR < 1) exit
	# system calls: the binary's own run against the floor's, per function
	print ""
	printf "%9s %14s %15s %12s %13s %11s %17s\n", "functions", "pass syscalls", "floor syscalls",
		"pass per fn", "floor per fn", "pass/floor", "hotplug syscalls"
	for (i = 1; i <= NR; i++) {
		printf "%9d %14s %15s %12s %13s %11s %17s\n", n[i], psc[i], fsc[i], r(psc[i], n[i]),
			r(fsc[i], n[i]), r(psc[i], fsc[i]), hsc[i]
		if (known(hsc[i])) {
			if (hmin == "" || hsc[i] + 0 < hmin) hmin = hsc[i] + 0
			if (hmax == "" || hsc[i] + 0 > hmax) hmax = hsc[i] + 0
		}
	}
	if (NR >= 2) {
		print ""
		printf "growth %d -> %d functions (x%.0f):", n[1], n[NR], n[NR] / n[1]
		printf " floor x%.1f, sh way x%.1f", fl[NR] / fl[1], sh[NR] / sh[1]
		if (p[1] != "") printf ", pass x%.1f", p[NR] / p[1]
		print ""
	}
	# marginal cost per added function between consecutive sizes (fixed costs cancel out)
	for (i = 2; i <= NR; i++) {
		dn = n[i] - n[i - 1]
		printf "per added function %d -> %d:  floor %.2f us", n[i - 1], n[i], (fl[i] - fl[i - 1]) * 1000 / dn
		if (p[1] != "") printf ", pass %.2f us", (p[i] - p[i - 1]) * 1000 / dn
		printf ", sh way %.0f us", (sh[i] - sh[i - 1]) * 1000 / dn
		if (known(psc[i]) && known(psc[i - 1]) && known(fsc[i]) && known(fsc[i - 1]))
			printf "; syscalls: pass %.2f, floor %.2f", (psc[i] - psc[i - 1]) / dn,
				(fsc[i] - fsc[i - 1]) / dn
		print ""
		if (p[1] != "" && i > 2) {
			a = (p[2] - p[1]) / (n[2] - n[1]); b = (p[i] - p[i - 1]) / dn
			lin = (a > 0) ? sprintf("%.2f", b / a) : "-"
		}
	}
	if (p[1] == "") { print "\nbinary not measured: no ratios"; exit }
	print ""
	printf "targets (a missed one is a bug):\n"
	printf "  pass/floor <= 1.6x below 1024 functions, <= 1.3x from 1024:  worst %.2fx at %d   %s\n",
		worst, wn, (over == "" ? "met" : "missed at" over)
	printf "  sh/pass >= 300x          worst %.0fx   %s", best, (best >= 300 ? "met" : "missed")
	printf " (sh/floor, the most any pass reaches: %.0fx at %d)\n", shfl, shn
	printf "  peak RSS < 512 KiB       max %d KiB   %s\n", maxrss, (maxrss < 512 ? "met" : "missed")
	if (hmin != "")
		printf "  hotplug, no selector wants it: the same syscalls at every size   %d to %d   %s\n",
			hmin, hmax, (hmin == hmax ? "met" : "missed")
	if (lin != "")
		printf "  linear 64 -> 4096        per-function cost %d->%d / %d->%d = %s (1.00 = linear)\n",
			n[NR - 1], n[NR], n[1], n[2], lin
	if (bad != "") printf "  binary exited non-zero at:%s functions\n", bad
	# the same medians on CPU time (user + system of the process and its children), which
	# leaves out the waits for a CPU that load on a shared machine adds to wall time
	if (cworst != "")
		printf "on CPU time: pass/floor worst %.2fx at %d (target %.1fx), sh/pass worst %.0fx at %d\n",
			cworst, cwn, cwlimit, cbest, cbn
}
