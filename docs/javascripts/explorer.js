// The learning-rate explorer (docs/explorer.md): gradient descent on the page's quadratic,
// the package's apply_step written out, drawn on three canvases. Plain JavaScript, no
// downloads: the problem comes from the JSON the build wrote into the page.
(() => {
  "use strict";
  const root = document.getElementById("explorer");
  const source = document.getElementById("explorer-problem");
  if (!root || !source) return;
  const problem = JSON.parse(source.textContent);
  const $ = (id) => document.getElementById(id);
  const controls = {
    lr: $("explorer-lr"),
    lrValue: $("explorer-lr-value"),
    steps: $("explorer-steps"),
    status: $("explorer-status"),
  };

  // ---------------------------------------------------------------- the model

  // Mean squared error of a*t**2 + b*t + c and its gradient, as in the package, in
  // float32 like the package's tensors (Math.fround after each operation): runs then
  // overflow, and so diverge, at the same step as `train` does.
  const f = Math.fround;
  function lossAndGrad(p, t, y) {
    let loss = 0, ga = 0, gb = 0, gc = 0;
    for (let i = 0; i < t.length; i++) {
      const t2 = f(t[i] * t[i]);
      const err = f(f(f(f(p[0] * t2) + f(p[1] * t[i])) + p[2]) - y[i]);
      loss = f(loss + f(err * err));
      ga = f(ga + f(f(2 * err) * t2));
      gb = f(gb + f(f(2 * err) * t[i]));
      gc = f(gc + f(2 * err));
    }
    const n = t.length;
    return [f(loss / n), [f(ga / n), f(gb / n), f(gc / n)]];
  }

  const input = () => document.querySelector("input[name=explorer-input]:checked").value;
  const times = () => (input() === "raw" ? problem.time : problem.scaled);
  const learningRate = () => Math.pow(10, Number(controls.lr.value));

  // The run: params after each step, the loss before each step, and where it diverged.
  let run = null;

  function reset() {
    run = { params: [problem.start.map(f)], losses: [], diverged: null };
  }

  function step() {
    if (run.diverged !== null) return false;
    const p = run.params[run.params.length - 1];
    const [loss, grad] = lossAndGrad(p, times(), problem.speed);
    if (!Number.isFinite(loss) || !grad.every(Number.isFinite)) {
      run.diverged = run.losses.length;
      return false;
    }
    const lr = learningRate();
    run.losses.push(loss);
    run.params.push(p.map((v, i) => f(v - f(lr * grad[i]))));
    return true;
  }

  function rerun() {
    reset();
    const steps = Math.max(0, Math.min(5000, Math.floor(Number(controls.steps.value) || 0)));
    for (let k = 0; k < steps && step(); k++);
  }

  // ---------------------------------------------------------------- drawing

  function colours() {
    const style = getComputedStyle(root);
    return {
      fg: style.getPropertyValue("--md-default-fg-color").trim() || "#000",
      light: style.getPropertyValue("--md-default-fg-color--lighter").trim() || "#999",
      bg: style.getPropertyValue("--md-default-bg-color").trim() || "#fff",
      data: "#1f77b4",
      fit: "#d62728",
    };
  }

  // A canvas at the size it is shown, sharp on high-density screens; returns the context.
  function surface(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    return { ctx, width, height };
  }

  // Linear map from [lo, hi] onto [a, b].
  const scale = (lo, hi, a, b) => (v) => a + ((v - lo) / (hi - lo || 1)) * (b - a);
  const PAD = 34;

  function axes(ctx, width, height, c, xLabel, yLabel) {
    ctx.strokeStyle = c.light;
    ctx.strokeRect(PAD, 8, width - PAD - 8, height - PAD - 8);
    ctx.fillStyle = c.fg;
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(xLabel, (width + PAD) / 2, height - 8);
    ctx.save();
    ctx.translate(12, (height - PAD) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
  }

  function drawFit(c) {
    const canvas = $("explorer-fit");
    const { ctx, width, height } = surface(canvas);
    const t = times(), y = problem.speed, p = run.params[run.params.length - 1];
    const lo = Math.min(...y), hi = Math.max(...y), room = (hi - lo) * 0.15;
    const sx = scale(t[0], t[t.length - 1], PAD + 4, width - 12);
    const sy = scale(lo - room, hi + room, height - PAD - 4, 12);
    axes(ctx, width, height, c, "time", "speed");
    ctx.fillStyle = c.data;
    t.forEach((ti, i) => { ctx.beginPath(); ctx.arc(sx(ti), sy(y[i]), 3, 0, 2 * Math.PI); ctx.fill(); });
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD, 8, width - PAD - 8, height - PAD - 8);
    ctx.clip();
    ctx.strokeStyle = c.fit;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let k = 0; k <= 100; k++) {
      const ti = t[0] + ((t[t.length - 1] - t[0]) * k) / 100;
      const v = p[0] * ti * ti + p[1] * ti + p[2];
      const yy = Math.max(-1e6, Math.min(1e6, sy(v)));  // canvas coordinates must stay finite
      k ? ctx.lineTo(sx(ti), yy) : ctx.moveTo(sx(ti), yy);
    }
    ctx.stroke();
    ctx.restore();
  }

  function bestLoss() {
    return lossAndGrad(problem.best[input()], times(), problem.speed)[0];
  }

  function drawLoss(c) {
    const canvas = $("explorer-loss");
    const { ctx, width, height } = surface(canvas);
    axes(ctx, width, height, c, "step", "log10 loss");
    const logs = run.losses.map(Math.log10);
    const best = Math.log10(bestLoss());
    if (!logs.length) return;
    const lo = Math.min(best, ...logs), hi = Math.max(best, ...logs);
    const sx = scale(0, Math.max(1, logs.length - 1), PAD + 4, width - 12);
    const sy = scale(lo - 0.1, hi + 0.1, height - PAD - 4, 12);
    ctx.fillStyle = c.fg;
    ctx.textAlign = "left";
    ctx.fillText(hi.toFixed(1), PAD + 4, 22);
    ctx.fillText(lo.toFixed(1), PAD + 4, height - PAD - 8);
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = c.fg;
    ctx.beginPath();
    ctx.moveTo(PAD, sy(best));
    ctx.lineTo(width - 8, sy(best));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.strokeStyle = c.fit;
    ctx.lineWidth = 2;
    ctx.beginPath();
    logs.forEach((v, i) => (i ? ctx.lineTo(sx(i), sy(v)) : ctx.moveTo(sx(i), sy(v))));
    ctx.stroke();
  }

  // The loss over (a, b) with c at its best for each pair, as loss_landscape(c=None).
  const landscapes = {};
  function landscape() {
    const key = input();
    if (landscapes[key]) return landscapes[key];
    const t = times(), y = problem.speed, start = problem.start, best = problem.best[key];
    const around = (u, v) => {
      const lo = Math.min(u, v), hi = Math.max(u, v), pad = Math.max((hi - lo) * 0.6, 1);
      return [lo - pad, hi + pad];
    };
    const [a0, a1] = around(start[0], best[0]), [b0, b1] = around(start[1], best[1]);
    const N = 48, values = new Float64Array(N * N);
    for (let j = 0; j < N; j++) {
      const b = b0 + ((b1 - b0) * j) / (N - 1);
      for (let i = 0; i < N; i++) {
        const a = a0 + ((a1 - a0) * i) / (N - 1);
        let mean = 0;
        for (let k = 0; k < t.length; k++) mean += y[k] - a * t[k] * t[k] - b * t[k];
        mean /= t.length;
        let loss = 0;
        for (let k = 0; k < t.length; k++) {
          const r = y[k] - a * t[k] * t[k] - b * t[k] - mean;
          loss += r * r;
        }
        values[j * N + i] = Math.log10(loss / t.length);
      }
    }
    return (landscapes[key] = { a0, a1, b0, b1, N, values });
  }

  function drawLandscape(c) {
    const canvas = $("explorer-landscape");
    const { ctx, width, height } = surface(canvas);
    const L = landscape();
    const lo = Math.min(...L.values), hi = Math.max(...L.values);
    const sx = scale(L.a0, L.a1, PAD, width - 8), sy = scale(L.b0, L.b1, height - PAD, 8);
    const cw = (width - PAD - 8) / L.N, ch = (height - PAD - 8) / L.N;
    for (let j = 0; j < L.N; j++) {
      for (let i = 0; i < L.N; i++) {
        const v = (L.values[j * L.N + i] - lo) / (hi - lo || 1);
        const band = Math.floor(v * 12) / 12;  // bands read like contour lines
        ctx.fillStyle = `hsl(${220 - 180 * band}, 55%, ${30 + 45 * band}%)`;
        ctx.fillRect(PAD + i * cw, height - PAD - (j + 1) * ch, cw + 0.5, ch + 0.5);
      }
    }
    axes(ctx, width, height, c, "a", "b");
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD, 8, width - PAD - 8, height - PAD - 8);
    ctx.clip();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.beginPath();
    run.params.forEach((p, i) => {
      const x = Math.max(-1e6, Math.min(1e6, sx(p[0]))), y = Math.max(-1e6, Math.min(1e6, sy(p[1])));
      i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    });
    ctx.stroke();
    const best = problem.best[input()];
    ctx.fillStyle = "#000";
    ctx.font = "20px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("★", sx(best[0]), sy(best[1]) + 7);
    ctx.restore();
  }

  // ---------------------------------------------------------------- state to screen

  function describe() {
    const lr = learningRate();
    const steps = run.losses.length;
    const p = run.params[run.params.length - 1];
    if (run.diverged !== null) {
      return `Diverged at step ${run.diverged} with learning rate ${lr.toPrecision(3)}: the loss ` +
        `grew until it was no longer a finite number. This input's limit is ${limit()}; try a smaller learning rate.`;
    }
    const loss = lossAndGrad(p, times(), problem.speed)[0];
    const times_ = (loss / bestLoss()).toPrecision(3);
    return `Loss after ${steps} steps: ${loss.toPrecision(7)} (${times_} times the best possible), ` +
      `learning rate ${lr.toPrecision(3)} (limit ${limit()}), a = ${p[0].toPrecision(4)}, b = ${p[1].toPrecision(4)}, ` +
      `c = ${p[2].toPrecision(4)}.`;
  }

  // The stability bound 2 / (largest eigenvalue of the Hessian), computed by the build.
  function limit() {
    return problem.bound[input()].toPrecision(3);
  }

  function draw() {
    const started = performance.now();
    const c = colours();
    drawFit(c);
    drawLoss(c);
    drawLandscape(c);
    controls.lrValue.textContent = learningRate().toPrecision(3);
    controls.status.textContent = describe();
    $("explorer-fit").setAttribute("aria-label", "the data and the current quadratic; " + controls.status.textContent);
    return performance.now() - started;
  }

  // Every update reports its time (computing and drawing) for the tests and `make bench`.
  function update(change) {
    const started = performance.now();
    change();
    draw();
    root.dataset.updateMs = (performance.now() - started).toFixed(2);
  }

  controls.lr.addEventListener("input", () => update(rerun));
  controls.steps.addEventListener("input", () => update(rerun));
  document.querySelectorAll("input[name=explorer-input]").forEach((r) => r.addEventListener("change", () => update(rerun)));
  $("explorer-run").addEventListener("click", () => update(rerun));
  $("explorer-reset").addEventListener("click", () => update(reset));
  $("explorer-step").addEventListener("click", () => update(step));
  window.addEventListener("resize", () => draw());
  // Redraw in the palette's colours when the reader switches it.
  new MutationObserver(() => draw()).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  update(rerun);
})();
