/* clausekit: the "new agreement" form of a template.
 *
 * The fields are drawn by JSON Editor from the template's composed schema
 * (the one `clausekit schema` prints); the values are checked by Ajv against
 * that same schema (draft 2020-12, `if`/`then` included), so the form and
 * `clausekit check` agree.  Numbers are kept as the text typed (no float
 * rounding) and written into the YAML as such.  Everything runs in the page:
 * nothing is sent anywhere until the user opens the pull request link.
 */
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("ck-form-config").textContent);
  var zh = cfg.lang === "zh";
  var schema = cfg.schema;
  var varsSchema = schema.properties.variables;
  var MAX_URL = 8000;

  // The words of `clausekit check`, in the template's language.
  var W = zh ? {
    max: function (v, l) { return v + " 大于最大值 " + l; },
    min: function (v, l) { return v + " 小于最小值 " + l; },
    xmin: function (v, l) { return v + " 须大于 " + l; },
    xmax: function (v, l) { return v + " 须小于 " + l; },
    required: function (n) { return "必填项 '" + n + "' 未填写"; },
    notOne: function (v, opts) { return v + " 不是以下之一：" + opts; },
    multiple: function (v, l) { return v + " 不是 " + l + " 的倍数"; },
    notNumber: function (v) { return "'" + v + "' 不是数字"; },
    notInteger: function (v) { return v + " 不是整数"; },
    percentText: function (n, v) { return "请写 " + n + "，而不是 " + v + "（百分比写作数字）"; },
    date: function (v) { return "'" + v + "' 不是有效的日期（YYYY-MM-DD）"; },
    money: function (v) { return "'" + v + "' 不是有效的金额（最多两位小数）"; },
    format: function (v, f) { return v + " 不是有效的 " + f; },
    short: function (v) { return v + " 太短"; },
    long: function (v) { return v + " 太长"; },
    pattern: function (v, p) { return v + " 不符合 '" + p + "'"; },
    id: function (v) { return "无效的编号 '" + v + "'：请使用小写字母、数字和 '-'，各段以 '/' 连接"; },
    idLeaves: function (v) { return "编号 '" + v + "' 会离开仓库；编号是其目录下的路径"; },
    idMissing: "请填写协议编号（文件名 agreements/<编号>.yaml）",
    tooLong: "内容太长，无法放入链接：请下载 YAML 文件，再在拉取请求中添加。",
    invalid: "表单中还有需要修改的内容。",
    yes: "是", no: "否", sep: "、"
  } : {
    max: function (v, l) { return v + " is greater than the maximum " + l; },
    min: function (v, l) { return v + " is less than the minimum " + l; },
    xmin: function (v, l) { return v + " is not greater than " + l; },
    xmax: function (v, l) { return v + " is not less than " + l; },
    required: function (n) { return "required '" + n + "' is not set"; },
    notOne: function (v, opts) { return v + " is not one of " + opts; },
    multiple: function (v, l) { return v + " is not a multiple of " + l; },
    notNumber: function (v) { return "'" + v + "' is not a number"; },
    notInteger: function (v) { return v + " is not of type 'integer'"; },
    percentText: function (n, v) { return "write " + n + ", not " + v + " (percentages are numbers)"; },
    date: function (v) { return "'" + v + "' is not a valid date (YYYY-MM-DD)"; },
    money: function (v) { return "'" + v + "' is not a valid money (an amount with at most 2 decimals)"; },
    format: function (v, f) { return v + " is not a valid " + f; },
    short: function (v) { return v + " is too short"; },
    long: function (v) { return v + " is too long"; },
    pattern: function (v, p) { return v + " does not match '" + p + "'"; },
    id: function (v) { return "invalid id '" + v + "': use lowercase letters, digits and '-', segments joined by '/'"; },
    idLeaves: function (v) { return "id '" + v + "' would leave the repository; ids are paths below their folder"; },
    idMissing: "write the agreement's id (the file agreements/<id>.yaml)",
    tooLong: "Too long for a link: download the YAML file and add it in a pull request.",
    invalid: "Some values in the form need a change.",
    yes: "yes", no: "no", sep: ", "
  };

  // -- the schema JSON Editor draws: every number a text field, every label a title --

  function label(s, name) { return s.title || s.description || name; }

  function editorSchema(s, name) {
    var out = { title: label(s, name) };
    if (s.title && s.description) out.description = s.description;
    if (s.type === "object") {
      out.type = "object";
      out.properties = {};
      Object.keys(s.properties || {}).forEach(function (k) {
        out.properties[k] = editorSchema(s.properties[k], k);
      });
      out.options = { disable_collapse: true, disable_edit_json: true, disable_properties: true };
    } else if (s.type === "array") {
      out.type = "array";
      out.items = editorSchema(s.items || { type: "string" }, name);
      out.options = { disable_collapse: true, disable_array_reorder: true };
    } else if (s.type === "boolean") {
      out.type = "boolean";
      out.format = "checkbox";
    } else if (Array.isArray(s.enum)) {
      out.type = "string";
      out.enum = [""].concat(s.enum.map(String));
      out.options = { enum_titles: ["—"].concat(s.enum.map(String)) };
    } else if (s.format === "date") {
      out.type = "string";
      out.format = "date";
    } else {
      out.type = "string";  // numbers too: kept as typed, checked below
    }
    return out;
  }

  // -- reading the fields into agreement values --------------------------------------

  function Dec(text) { this.text = text; }  // a number as written: exact in the YAML

  var GROUPED = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;
  var NUMBER = /^[-+]?\d+(\.\d+)?$/;
  var PERCENT = /^\s*([-+]?\d+(?:\.\d+)?)\s*[%％]\s*$/;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function isDate(t) {
    if (!DATE.test(t)) return false;
    var d = new Date(t + "T00:00:00Z");
    return !isNaN(d) && d.toISOString().slice(0, 10) === t;
  }

  function parseNumber(s, text, path, problems) {
    var t = text.trim();
    if (GROUPED.test(t)) t = t.replace(/,/g, "");
    var pc = PERCENT.exec(text);
    if (pc) { problems[path] = W.percentText(pc[1], text.trim()); return undefined; }
    if (!NUMBER.test(t)) { problems[path] = W.notNumber(text.trim()); return undefined; }
    if (s.type === "integer" && /\./.test(t)) { problems[path] = W.notInteger(t); return undefined; }
    if (s.format === "money" && /\.\d{3,}$/.test(t)) { problems[path] = W.money(t); return undefined; }
    return new Dec(t.replace(/^\+/, ""));
  }

  function join(path, key) { return path ? path + "." + key : String(key); }

  // The values of the visible fields below `path`; `keep` keeps empty objects (so
  // that Ajv names each missing value of a final agreement at its own field).
  function collect(s, v, path, ctx) {
    if (ctx.hidden(path)) return undefined;
    if (s.type === "object") {
      var out = {}, any = false;
      Object.keys(s.properties || {}).forEach(function (k) {
        var r = collect(s.properties[k], v ? v[k] : undefined, join(path, k), ctx);
        if (r !== undefined) { out[k] = r; any = true; }
      });
      return any || (ctx.keep && path) ? out : (path ? undefined : out);
    }
    if (s.type === "array") {
      var items = [];
      (v || []).forEach(function (item, i) {
        var r = collect(s.items || { type: "string" }, item, join(path, i), ctx);
        if (r !== undefined) items.push(r);
      });
      return items.length ? items : undefined;
    }
    if (s.type === "boolean") return v === true;
    if (v === undefined || v === null || String(v).trim() === "") return undefined;
    if (Array.isArray(s.enum)) {
      return s.enum.filter(function (e) { return String(e) === String(v); })[0];
    }
    if (s.type === "number" || s.type === "integer") return parseNumber(s, String(v), path, ctx.problems);
    var text = String(v);
    if (s.format === "date" && !isDate(text.trim())) { ctx.problems[path] = W.date(text); return undefined; }
    return s.format === "date" ? text.trim() : text;
  }

  function plain(value) {  // what Ajv checks: a Dec as a number
    if (value instanceof Dec) return Number(value.text);
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = plain(value[k]); });
      return out;
    }
    return value;
  }

  // -- YAML in the library's style ----------------------------------------------------

  var RESERVED = /^(~|null|true|false|yes|no|on|off|y|n|=|<<)$/i;

  function needsQuotes(s) {
    // A plain scalar YAML would read as something else, or not read at all.
    return s === "" || s !== s.trim() || /[\n\r\t]/.test(s) || /^[-?:,\[\]{}#&*!|>'"%@`]/.test(s) ||
      /: |:$| #/.test(s) || RESERVED.test(s) || /^[-+.\d]/.test(s) && /^[-+\d\s().,:_%％eExXoObB]+$/.test(s) ||
      /^\d{4}-\d\d?-\d\d?/.test(s) || /^[-+]?\.(inf|nan)$/i.test(s);
  }

  function scalar(v) {
    if (v instanceof Dec) return v.text;
    if (v === true || v === false) return String(v);
    if (typeof v === "number") return String(v);
    var s = String(v);
    if (/[\u0000-\u001f]/.test(s)) return JSON.stringify(s);
    if (DATE.test(s) && isDate(s)) return s;
    return needsQuotes(s) ? "'" + s.replace(/'/g, "''") + "'" : s;
  }

  function isMap(v) { return v && typeof v === "object" && !(v instanceof Dec) && !Array.isArray(v); }

  function yamlLines(v, indent) {
    var pad = new Array(indent + 1).join(" "), lines = [];
    if (Array.isArray(v)) {
      v.forEach(function (item) {
        if (isMap(item) || Array.isArray(item)) {
          var inner = yamlLines(item, indent + 2);
          lines.push(pad + "- " + inner[0].slice(indent + 2));
          lines = lines.concat(inner.slice(1));
        } else {
          lines.push(pad + "- " + scalar(item));
        }
      });
      return lines;
    }
    Object.keys(v).forEach(function (k) {
      var x = v[k];
      if ((isMap(x) || Array.isArray(x)) && !Object.keys(x).length) {
        lines.push(pad + k + (Array.isArray(x) ? ": []" : ": {}"));
      } else if (isMap(x) || Array.isArray(x)) {
        lines.push(pad + k + ":");
        lines = lines.concat(yamlLines(x, indent + 2));
      } else {
        lines.push(pad + k + ": " + scalar(x));
      }
    });
    return lines;
  }

  // -- which values a `when` leaves out -------------------------------------------------

  var ajv = new window.ajv2020({ allErrors: true, strict: false });
  ["money", "percent"].forEach(function (f) {
    ajv.addFormat(f, { type: "number", validate: function () { return true; } });
  });
  ajv.addFormat("date", isDate);
  ajv.addFormat("email", /^[^@\s]+@[^@\s]+\.[^@\s]+$/);

  // path -> the `if` validators of the conditions under which it is asked for
  var conditional = {};
  (varsSchema.allOf || []).forEach(function (rule) {
    if (!rule["if"] || !rule.then) return;
    var test = ajv.compile(rule["if"]);
    (function walk(then, path) {
      (then.required || []).forEach(function (k) {
        (conditional[join(path, k)] = conditional[join(path, k)] || []).push(test);
      });
      Object.keys(then.properties || {}).forEach(function (k) { walk(then.properties[k], join(path, k)); });
    })(rule.then, "");
  });

  function withoutRequired(s, inIf) {  // a draft may leave any value out
    if (Array.isArray(s)) return s.map(function (x) { return withoutRequired(x, inIf); });
    if (!s || typeof s !== "object") return s;
    var out = {};
    Object.keys(s).forEach(function (k) {
      if (k === "required" && !inIf) return;
      out[k] = withoutRequired(s[k], inIf || k === "if");
    });
    return out;
  }
  var validators = { final: ajv.compile(schema), draft: ajv.compile(withoutRequired(schema, false)) };

  // -- the page ---------------------------------------------------------------------------

  var editor = new window.JSONEditor(document.getElementById("ck-form-fields"), {
    schema: editorSchema(varsSchema, ""),
    theme: "html",
    iconlib: null,
    show_errors: "never",
    disable_edit_json: true,
    disable_properties: true,
    disable_collapse: true,
    prompt_before_delete: false,
    no_additional_properties: true,
    use_default_values: false,
    required_by_default: false
  });

  var idInput = document.getElementById("agreement-id");
  var statusInput = document.getElementById("status");
  var titleInput = document.getElementById("agreement-title");
  var yamlOut = document.getElementById("agreement-yaml");
  var download = document.getElementById("download-yaml");
  var propose = document.getElementById("propose");
  var note = document.getElementById("ck-form-note");
  var fieldByPath = {};
  var current = { yaml: "", ok: false, id: "" };

  function dotted(key) { return key === "root" ? "" : key.replace(/^root\./, ""); }

  function decorate() {
    fieldByPath = {};
    Object.keys(editor.editors).forEach(function (key) {
      var ed = editor.editors[key];
      if (!ed || !ed.input || !ed.container) return;
      var path = dotted(key);
      ed.input.name = path;
      ed.input.setAttribute("data-path", path);
      fieldByPath[path] = ed;
    });
  }

  function hiddenFn(vars) {
    return function (path) {
      var tests = conditional[path];
      return !!tests && !tests.some(function (t) { return t(plain(vars)); });
    };
  }

  function showHidden(hidden) {
    Object.keys(editor.editors).forEach(function (key) {
      var ed = editor.editors[key];
      if (ed && ed.container && key !== "root") ed.container.hidden = hidden(dotted(key));
    });
  }

  function messageOf(e, value) {
    var p = e.params || {}, v = value === undefined ? "" : (typeof value === "string" ? "'" + value + "'" : JSON.stringify(value));
    switch (e.keyword) {
      case "maximum": return W.max(v, p.limit);
      case "minimum": return W.min(v, p.limit);
      case "exclusiveMinimum": return W.xmin(v, p.limit);
      case "exclusiveMaximum": return W.xmax(v, p.limit);
      case "required": return W.required(p.missingProperty);
      case "enum": return W.notOne(v, (p.allowedValues || []).join(", "));
      case "multipleOf": return W.multiple(v, p.multipleOf);
      case "format": return p.format === "date" ? W.date(value) : W.format(v, p.format);
      case "minLength": return W.short(v);
      case "maxLength": return W.long(v);
      case "pattern": return W.pattern(v, p.pattern);
      case "type": return p.type === "integer" ? W.notInteger(v) : W.notNumber(value);
      default: return e.message;
    }
  }

  function lookup(data, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, data);
  }

  function problemsOf(agreement, vars) {
    var problems = {};
    var check = validators[agreement.status === "draft" ? "draft" : "final"];
    if (!check(plain(agreement))) {
      check.errors.forEach(function (e) {
        if (e.keyword === "if" || e.keyword === "allOf") return;
        var at = e.instancePath.split("/").slice(1);
        if (at[0] !== "variables") return;
        var path = at.slice(1).join(".");
        if (e.keyword === "required") path = join(path, e.params.missingProperty);
        if (!(path in problems)) problems[path] = messageOf(e, lookup(plain(vars), path));
      });
    }
    return problems;
  }

  function idProblem(id) {
    if (!id) return W.idMissing;
    if (id.indexOf("..") >= 0 || id.charAt(0) === "/" || id.indexOf("\\") >= 0) return W.idLeaves(id);
    return new RegExp("^" + cfg.id_pattern + "$").test(id) ? null : W.id(id);
  }

  function mark(input, container, message) {
    if (!input) return;
    var shown = container.querySelector(":scope > .ck-alert");
    if (message) {
      input.setAttribute("aria-invalid", "true");
      if (!shown) {
        shown = document.createElement("p");
        shown.className = "ck-alert";
        shown.setAttribute("role", "alert");
        shown.id = "ck-alert-" + (input.name || input.id).replace(/[^\w-]/g, "-");
        container.appendChild(shown);
      }
      // Always: the editor may have drawn a new input beside an alert already shown.
      input.setAttribute("aria-describedby", shown.id);
      shown.textContent = message;
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (shown) shown.remove();
    }
  }

  function showValue(v) {
    if (v instanceof Dec) return v.text;
    if (v === true) return W.yes;
    if (v === false) return W.no;
    if (Array.isArray(v)) return v.map(showValue).join(W.sep);
    if (isMap(v)) return Object.keys(v).map(function (k) { return showValue(v[k]); }).join(W.sep);
    return String(v);
  }

  function preview(vars) {
    document.querySelectorAll(".ck-fill[data-path]").forEach(function (span) {
      var v = lookup(vars, span.getAttribute("data-path"));
      var filled = v !== undefined && !(Array.isArray(v) && !v.length);
      span.textContent = filled ? showValue(v) : span.getAttribute("data-blank");
      span.classList.toggle("ck-filled", filled);
    });
  }

  function update() {
    decorate();
    var raw = editor.getValue();
    var probe = { problems: {}, keep: false, hidden: function () { return false; } };
    probe.hidden = hiddenFn(collect(varsSchema, raw, "", probe) || {});
    showHidden(probe.hidden);
    var shownVars = collect(varsSchema, raw, "", probe) || {};
    var status = statusInput.value;
    var checked = { problems: probe.problems, keep: status !== "draft", hidden: probe.hidden };
    var full = collect(varsSchema, raw, "", checked) || {};
    var agreement = { template: cfg.template, status: status };
    if (titleInput.value.trim()) agreement.title = titleInput.value.trim();
    agreement.variables = shownVars;
    var problems = problemsOf({ template: cfg.template, status: status, variables: full }, full);
    Object.keys(probe.problems).forEach(function (p) { problems[p] = probe.problems[p]; });
    Object.keys(fieldByPath).forEach(function (path) {
      var ed = fieldByPath[path];
      mark(ed.input, ed.container, ed.container.hidden ? null : problems[path]);
    });
    var id = idInput.value.trim();
    var idBad = idProblem(id);
    mark(idInput, idInput.parentNode, idBad);
    var ok = !idBad && Object.keys(problems).every(function (p) { return !fieldByPath[p] || fieldByPath[p].container.hidden; })
      && Object.keys(problems).every(function (p) { return fieldByPath[p]; });
    var text = yamlLines(agreement, 0).join("\n") + "\n";
    current = { yaml: text, ok: ok, id: id };
    yamlOut.textContent = text;
    download.disabled = !ok;
    preview(shownVars);
    if (propose) proposeLink(ok, id, text);
    note.textContent = ok ? "" : W.invalid;
  }

  function proposeLink(ok, id, text) {
    var url = cfg.repo_url + "/new/" + cfg.branch + "?filename=" +
      encodeURIComponent("agreements/" + id + ".yaml") + "&value=" + encodeURIComponent(text);
    var fits = url.length <= MAX_URL;
    propose.setAttribute("aria-disabled", String(!ok));
    if (ok && fits) propose.setAttribute("href", url); else propose.removeAttribute("href");
    propose.setAttribute("data-too-long", String(!fits));
  }

  function save() {
    if (!current.ok) return;
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([current.yaml], { type: "application/yaml" }));
    a.download = current.id.split("/").pop() + ".yaml";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  download.addEventListener("click", save);
  if (propose) {
    propose.addEventListener("click", function (event) {
      if (propose.getAttribute("data-too-long") === "true" && current.ok) {
        event.preventDefault();
        document.getElementById("ck-propose-note").textContent = W.tooLong;
        save();
      }
    });
  }
  [idInput, statusInput, titleInput].forEach(function (el) {
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  });
  // JSON Editor reads a text field on `change` (when it loses focus); the YAML
  // follows each key stroke instead.
  document.getElementById("ck-form-fields").addEventListener("input", function (event) {
    var el = event.target;
    if (el.matches("input:not([type=checkbox]), textarea")) {
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  editor.on("ready", function () {
    update();
    editor.on("change", update);
    document.getElementById("ck-form").setAttribute("data-ready", "true");
  });
})();
