set terminal svg size 1000,520 dynamic font 'sans,11'
set output 'plot.svg'
set title 'Time relative to the off arm (median of per-pair ratios; bars: min..max); lower is better'
set datafile missing '?'
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set yrange [0:1.15<*]
set ylabel 'ratio to off'
set xtics rotate by -35 left
set key outside top center horizontal
set grid ytics
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2
plot 'plot.dat' using 2:3:4:xtic(1) title 'on/off', 'plot.dat' using 5:6:7 title 'vanilla/off'
