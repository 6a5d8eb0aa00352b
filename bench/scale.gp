# gnuplot -e "tsv='build/bench/scale.tsv'; out='bench/scale.svg'" bench/scale.gp
# accord against corpus scale, from the table bench/run.sh writes. Rows that
# did not load (NaN) and the real corpus (scale "real") are left out.
set terminal svg size 1260,420 dynamic font "sans,11" background "white"
set output out
set datafile separator "\t"
set datafile missing "NaN"
set logscale x
set xrange [0.7:1500]
set xtics ("1x" 1, "10x" 10, "100x" 100, "1000x" 1000)
set xlabel "corpus scale (1x = 5 articles, as many facts as the bundled corpus)"
set grid
set key bottom left font ",9"
set multiplot layout 1,3 title "accord at scale (wrk, 64 connections, 2 threads, loopback, 2 cores)"

set title "throughput"
set ylabel "requests/s"
set logscale y
plot tsv skip 1 using 1:13 with linespoints lw 2 pt 7 title "filtered", \
     ''  skip 1 using 1:17 with linespoints lw 2 pt 5 title "page 2", \
     ''  skip 1 using 1:21 with linespoints lw 2 pt 9 title "deep page", \
     ''  skip 1 using 1:25 with linespoints lw 2 pt 11 title "search", \
     ''  skip 1 using 1:29 with linespoints lw 2 pt 13 title "mix", \
     ''  skip 1 using 1:49 with linespoints lw 1 dt 3 pt 13 lc 5 title "mix, no cache", \
     ''  skip 1 using 1:45 with linespoints lw 1 dt 3 pt 11 lc 4 title "search, no cache"

set title "latency (solid p99, dashed p50; dotted: no cache)"
set logscale y
set ylabel "ms"
set key top left
plot tsv skip 1 using 1:15 with linespoints lw 2 lc 1 pt 7 title "filtered p99", \
     ''  skip 1 using 1:19 with linespoints lw 2 lc 2 pt 5 title "page 2 p99", \
     ''  skip 1 using 1:23 with linespoints lw 2 lc 3 pt 9 title "deep page p99", \
     ''  skip 1 using 1:27 with linespoints lw 2 lc 4 pt 11 title "search p99", \
     ''  skip 1 using 1:31 with linespoints lw 2 lc 5 pt 13 title "mix p99", \
     ''  skip 1 using 1:51 with linespoints lw 1 dt 3 lc 5 pt 13 title "mix p99, no cache", \
     ''  skip 1 using 1:14 with linespoints lw 1 dt 2 lc 1 pt 7 notitle, \
     ''  skip 1 using 1:18 with linespoints lw 1 dt 2 lc 2 pt 5 notitle, \
     ''  skip 1 using 1:22 with linespoints lw 1 dt 2 lc 3 pt 9 notitle, \
     ''  skip 1 using 1:26 with linespoints lw 1 dt 2 lc 4 pt 11 notitle

set title "load throughput and serving memory"
set ylabel "MB/s of article text (accord load)"
set y2label "RSS after warm-up, MB"
set ytics nomirror
set y2tics
set logscale y2
set key top right
plot tsv skip 1 using 1:(strcol(4) eq "ok" ? $6 : NaN) with linespoints lw 2 pt 7 lc 6 title "load MB/s", \
     ''  skip 1 using 1:($10/1024) axes x1y2 with linespoints lw 2 pt 5 lc 7 title "RSS MB"
unset multiplot
