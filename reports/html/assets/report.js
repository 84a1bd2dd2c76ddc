// nssbench HTML report: draws the charts from the inline JSON (#nssbench-data) with uPlot, then marks
// <body data-rendered="ok">. Errors reach window.onerror, which sets <body data-error>.
(function () {
	"use strict";

	var DATA = JSON.parse(document.getElementById("nssbench-data").textContent);
	var COLORS = {
		offered: "rgba(107,114,128,0.35)", sent: "#56b4e9", verdicts: "#009e73", lost: "#d55e00",
		p50: "#0072b2", p99: "#e69f00",
		send: "#cc79a7", wire: "#56b4e9", pipeline: "#009e73", e2e: "#d55e00",
		cpu: "#0072b2", rss: "#e69f00"
	};
	var HEIGHT = 320;
	var AXIS = { stroke: "#4b5563", grid: { stroke: "#eceff3", width: 1 }, ticks: { stroke: "#d5dae1", width: 1 } };
	var COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 2.5e5, 5e5, 1e6, 2e6, 2.5e6, 5e6, 1e7];
	var charts = [];
	var expected = 0, drawn = 0;

	// ready runs when a chart has drawn; once all have, and nothing failed, the page is marked rendered.
	// uPlot draws after this script returns, so the mark cannot be set at its end.
	function ready() {
		if (++drawn === expected) done();
	}

	function done() {
		if (!document.body.dataset.error) document.body.dataset.rendered = "ok";
	}

	// trim formats v with at most d decimals, dropping trailing zeros.
	function trim(v, d) {
		var s = v.toFixed(d);
		return s.indexOf(".") < 0 ? s : s.replace(/\.?0+$/, "");
	}

	// fmtMs formats a latency in milliseconds in the largest unit that keeps it at least 1.
	function fmtMs(ms) {
		if (ms == null) return "–";
		var a = Math.abs(ms);
		if (a === 0) return "0";
		if (a < 1e-3) return trim(ms * 1e6, 0) + " ns";
		if (a < 1) return trim(ms * 1e3, a < 1e-2 ? 2 : 1) + " µs";
		if (a < 1000) return trim(ms, a < 10 ? 2 : 1) + " ms";
		return trim(ms / 1000, 2) + " s";
	}

	// legend wraps a formatter for the legend, which shows values only while the cursor is on the chart.
	function legend(fmt, unit) {
		return function (u, v) { return v == null ? "" : fmt(v) + (unit || ""); };
	}

	function trim0(v) { return trim(v, 0); }

	// fmtCount formats an event count or rate compactly: 950, 12.5k, 3.2M.
	function fmtCount(v) {
		if (v == null) return "–";
		var a = Math.abs(v);
		if (a >= 1e6) return trim(v / 1e6, 2) + "M";
		if (a >= 1e4) return trim(v / 1e3, 1) + "k";
		return trim(v, 0);
	}

	// fmtNines formats the percentile whose nines are k: 1 → "90%", 3 → "99.9%".
	function fmtNines(k) {
		if (k == null) return "–";
		var p = 100 * (1 - Math.pow(10, -k));
		return trim(p, Math.max(0, Math.ceil(k - 1e-9) - 2)) + "%";
	}

	// logRange spans whole decades around [min, max], starting no lower than floor (when given).
	function logRange(min, max, floor) {
		if (!(min > 0)) min = max > 0 ? max / 10 : 1e-3;
		if (!(max > 0)) max = min * 10;
		var lo = Math.pow(10, Math.floor(Math.log10(min) + 1e-9));
		var hi = Math.pow(10, Math.ceil(Math.log10(max) - 1e-9));
		if (floor > 0) lo = Math.max(lo, floor);
		if (hi <= lo) hi = lo * 10;
		return [lo, hi];
	}

	// logSplits puts ticks on decades, adding 2× and 5× when the scale spans fewer than three decades.
	function logSplits(u, axisIdx, min, max) {
		var out = [];
		var few = Math.log10(max / min) < 2.5;
		for (var d = Math.floor(Math.log10(min) - 1e-9); Math.pow(10, d) <= max * (1 + 1e-9); d++) {
			var base = Math.pow(10, d);
			(few ? [1, 2, 5] : [1]).forEach(function (m) {
				var v = +(base * m).toPrecision(1);
				if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
			});
		}
		return out;
	}

	// positive replaces values a log scale cannot show with gaps.
	function positive(ys) {
		return ys.map(function (v) { return v > 0 ? v : null; });
	}

	function empty(el, text) {
		var p = document.createElement("p");
		p.className = "empty";
		p.textContent = text;
		el.appendChild(p);
	}

	function line(label, color, value, extra) {
		var s = { label: label, stroke: color, width: 2, value: value };
		for (var k in extra) s[k] = extra[k];
		return s;
	}

	function axis(extra) {
		var a = { stroke: AXIS.stroke, grid: AXIS.grid, ticks: AXIS.ticks, font: "12px system-ui, sans-serif", labelFont: "600 12px system-ui, sans-serif" };
		for (var k in extra) a[k] = extra[k];
		return a;
	}

	function draw(id, opts, data) {
		var el = document.getElementById(id);
		// a line needs two points: series with fewer values show them as dots
		opts.series.forEach(function (s, i) {
			if (i === 0) return;
			var n = data[i].filter(function (v) { return v != null; }).length;
			s.points = { show: n < 3, size: 7, fill: s.stroke };
		});
		opts.width = Math.max(320, el.clientWidth);
		opts.height = HEIGHT;
		opts.cursor = { drag: { x: true, y: false } };
		opts.hooks = { ready: [ready] };
		expected++;
		charts.push({ el: el, plot: new uPlot(opts, data, el) });
	}

	// elapsedAxis is the shared x axis of the timeline charts.
	function elapsedAxis() {
		return axis({
			label: "elapsed time since start (s)", labelSize: 20, size: 34, splits: wholeSeconds,
			values: function (u, splits) { return splits.map(function (v) { return trim(v, 0); }); }
		});
	}

	// secondsRange keeps uPlot's x range, except around a single second, which it would stretch to 0–100.
	function secondsRange(u, min, max) {
		var xs = u.data[0];
		return xs.length === 1 ? [xs[0] - 1, xs[0] + 1] : [min, max];
	}

	// wholeSeconds keeps the tick marks of a per-second axis on whole seconds.
	function wholeSeconds(u, axisIdx, min, max, incr) {
		var out = [];
		var step = Math.max(1, Math.round(incr));
		for (var v = Math.ceil(min / step) * step; v <= max; v += step) out.push(v);
		return out;
	}

	function throughput() {
		var t = DATA.timeline;
		if (t.t.length === 0) return empty(document.getElementById("chart-throughput"), "No timeline: the run recorded no events.");
		var rate = legend(fmtCount, "/s");
		draw("chart-throughput", {
			scales: { x: { time: false, range: secondsRange }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.08)]; } } },
			series: [
				{ label: "elapsed", value: legend(trim0, " s") },
				// a wide translucent band under the others: where they match, the band frames them
				line("offered", COLORS.offered, rate, { width: 7 }),
				line("sent", COLORS.sent, rate),
				line("achieved (verdicts)", COLORS.verdicts, rate, { width: 2.5 }),
				line("lost", COLORS.lost, rate)
			],
			axes: [
				elapsedAxis(),
				axis({ label: "events per second", labelSize: 28, size: 64, incrs: COUNT_INCRS, values: function (u, splits) { return splits.map(fmtCount); } })
			]
		}, [t.t, t.offered, t.sent, t.verdicts, t.lost]);
	}

	function latencyOverTime() {
		var t = DATA.timeline;
		var p50 = positive(t.p50), p99 = positive(t.p99);
		if (!p99.some(function (v) { return v != null; })) return empty(document.getElementById("chart-latency"), "No end-to-end latency samples.");
		draw("chart-latency", {
			scales: { x: { time: false, range: secondsRange }, y: { distr: 3, log: 10, range: function (u, min, max) { return logRange(min, max); } } },
			series: [
				{ label: "elapsed", value: legend(trim0, " s") },
				line("p50", COLORS.p50, legend(fmtMs)),
				line("p99", COLORS.p99, legend(fmtMs), { width: 2.5 })
			],
			axes: [
				elapsedAxis(),
				axis({ label: "end-to-end latency (log scale)", labelSize: 28, size: 70, splits: logSplits, values: function (u, splits) { return splits.map(fmtMs); } })
			]
		}, [t.t, p50, p99]);
	}

	function distribution() {
		var d = DATA.dist;
		if (d.stages.length === 0) return empty(document.getElementById("chart-distribution"), "No latency samples.");
		var top = d.x[d.x.length - 1];
		var series = [{ label: "percentile", value: legend(fmtNines) }];
		var data = [d.x];
		// the y scale starts a decade below the lowest median: the curves' first points (the minimum,
		// often a few ns) would otherwise squash the tails; the table shows every minimum
		var median = 0;
		while (median < d.x.length - 1 && d.x[median] < 0.3) median++;
		var floor = Infinity;
		d.stages.forEach(function (s) {
			var ys = positive(s.y);
			series.push(line(s.stage, COLORS[s.stage] || "#333", legend(fmtMs), s.stage === "e2e" ? { width: 2.5 } : {}));
			data.push(ys);
			if (ys[median] > 0) floor = Math.min(floor, ys[median]);
		});
		floor = isFinite(floor) ? Math.pow(10, Math.floor(Math.log10(floor)) - 1) : 0;
		draw("chart-distribution", {
			scales: {
				x: { time: false, range: [0, Math.max(top, 1)] },
				y: { distr: 3, log: 10, range: function (u, min, max) { return logRange(min, max, floor); } }
			},
			series: series,
			axes: [
				axis({
					label: "percentile (log scale toward 100%)", labelSize: 20, size: 34,
					splits: function (u, i, min, max) {
						var out = [0, Math.log10(2)];
						for (var k = 1; k <= max + 1e-9; k++) out.push(k);
						return out;
					},
					values: function (u, splits) { return splits.map(fmtNines); }
				}),
				axis({ label: "latency (log scale)", labelSize: 28, size: 70, splits: logSplits, values: function (u, splits) { return splits.map(fmtMs); } })
			]
		}, data);
	}

	function target() {
		var t = DATA.target;
		var el = document.getElementById("chart-target");
		if (!el) return;
		if (t.t.length === 0) return empty(el, "No samples of the target.");
		draw("chart-target", {
			scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, Math.max(0.1, max * 1.1)]; } },
				rss: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
			series: [
				{ label: "since first sample", value: legend(function (v) { return trim(v, 1); }, " s") },
				line("cpu", COLORS.cpu, legend(function (v) { return trim(v, 3); }, " cores"), { width: 2.5 }),
				line("rss", COLORS.rss, legend(function (v) { return trim(v, 1); }, " MiB"), { scale: "rss" })
			],
			axes: [
				axis({ label: "seconds since the first sample", labelSize: 20, size: 34 }),
				axis({ label: "CPU (cores)", labelSize: 28, size: 56 }),
				axis({ scale: "rss", side: 1, label: "RSS (MiB)", labelSize: 28, size: 64, grid: { show: false } })
			]
		}, [t.t, t.cpu, t.rss]);
	}

	throughput();
	latencyOverTime();
	distribution();
	target();

	var pending = 0;
	window.addEventListener("resize", function () {
		cancelAnimationFrame(pending);
		pending = requestAnimationFrame(function () {
			charts.forEach(function (c) { c.plot.setSize({ width: Math.max(320, c.el.clientWidth), height: HEIGHT }); });
		});
	});
	if (expected === 0) done();
})();
