// referat serve: live updates (server-sent events) and saves from the minute-taking page.
// Text from the meeting is only ever set with textContent or .value, never as HTML.
"use strict";
(function () {
  const token = document.querySelector('meta[name="referat-token"]').content;
  const side = document.body.dataset.side;
  const status = document.getElementById("status");
  let version = Number(document.body.dataset.version);

  function say(text) { status.textContent = text; }
  // Characters that cannot be seen or that reorder the text after them (U+202E), written out as [U+202E], as the
  // server's templates do (`visible` in live/app.py): the page says what the file says.
  const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
  function visible(text) {
    return String(text).replace(HIDDEN, (c, at, all) => {
      if (c === "\u200d" && /[\p{So}\p{Sk}\p{Mn}\ufe0f]$/u.test(all.slice(Math.max(0, at - 2), at)) &&
          /^\p{So}/u.test(all.slice(at + 1, at + 3))) return c;  // inside an emoji sequence
      return "[U+" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "]";
    });
  }
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function messageItem(m) {
    const li = el("li", m.alvor);
    li.append(el("span", "sted", visible(m.sted)), " ", el("span", "alvor", m.alvor + ":"), " ",
              el("span", "tekst", visible(m.tekst)));
    return li;
  }
  function fillMessages(list, messages) {
    list.replaceChildren(...messages.map(messageItem));
  }
  async function getState(withMinutes, edition) {
    const query = withMinutes ? "?skriv=1" : edition === "offentlig" ? "?udgave=offentlig" : "";
    const response = await fetch("/api/tilstand" + query, {cache: "no-store"});
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }

  // ---------------------------------------------------------------------------------------------- preview
  async function refreshPreview() {
    const state = await getState(false, document.getElementById("dokument").dataset.udgave);
    version = state.version;
    document.body.dataset.version = String(version);
    for (const group of document.querySelectorAll("#beskeder .gruppe")) {
      const mine = state.beskeder.filter((m) => m.punkt === group.dataset.punkt);
      fillMessages(group.querySelector("ul.beskeder"), mine);
    }
    // the words come from the server (diagnostics.count), so "1 advarsel" is singular here too
    document.getElementById("opsummering").textContent = state.opsummering;
    const frame = document.getElementById("dokument");
    frame.src = frame.dataset.src + "?v=" + version;
    say(`Opdateret (version ${version}): ${state.opsummering}.`);
  }

  // ---------------------------------------------------------------------------------------------- minutes
  const dirty = new Set();  // fields typed in and not yet saved: a reload leaves them alone

  function section(node) { return node.closest("section[data-sha256]"); }
  function note(sec, text) { sec.querySelector(".gemt").textContent = text; }

  // One save at a time per file: a save sends the sha256 its predecessor got back.
  const queues = new WeakMap();
  function post(what, sec, body) {
    const run = () => send(what, sec, body);
    const next = (queues.get(sec) || Promise.resolve()).then(run, run);
    queues.set(sec, next);
    return next;
  }

  async function send(what, sec, body) {
    body.sha256 = sec.dataset.sha256;
    let response;
    try {
      response = await fetch("/api/gem/" + what, {
        method: "POST", headers: {"Content-Type": "application/json", "X-Referat-Token": token},
        body: JSON.stringify(body), keepalive: leaving});
    } catch (error) {
      note(sec, "Ikke gemt: ingen forbindelse til referat serve (er den stoppet?). Det, du skrev, står her stadig.");
      return false;
    }
    const answer = await response.json().catch(() => ({fejl: "ugyldigt svar fra serveren"}));
    if (response.ok) {
      sec.dataset.sha256 = answer.sha256;
      version = Math.max(version, answer.version);
      sec.querySelector(".konflikt").hidden = true;
      note(sec, "Gemt i " + answer.fil + ".");
      const list = sec.querySelector("ul.beskeder");
      if (list) fillMessages(list, answer.beskeder);
      return true;
    }
    if (response.status === 409) {
      showConflict(what, sec, body, answer);
      return false;
    }
    note(sec, "Ikke gemt: " + (answer.fejl || response.status));
    return false;
  }

  function showConflict(what, sec, body, answer) {
    const box = sec.querySelector(".konflikt");
    box.replaceChildren();
    box.append(el("h3", null, "Konflikt: " + answer.fil + " er ændret et andet sted"),
               el("p", null, "Intet er gemt. Vælg, hvilken udgave der skal gælde."));
    const {sha256: _sha, fil: _fil, ...mineOnly} = body;
    const mine = body.tekst !== undefined ? body.tekst : JSON.stringify(mineOnly, null, 1);
    const yours = el("div", "udgave");
    yours.append(el("h4", null, "Din udgave"), el("pre", "din", visible(mine)));
    const disk = el("div", "udgave");
    disk.append(el("h4", null, "På disken nu"), el("pre", "disk", visible(answer.disk)));
    const keep = el("button", "behold-min", "Gem min udgave");
    keep.type = "button";
    const take = el("button", "brug-disk", "Brug diskens udgave");
    take.type = "button";
    keep.addEventListener("click", async () => {
      sec.dataset.sha256 = answer.sha256;
      if (await post(what, sec, {...body})) dirty.delete(sec);
    });
    take.addEventListener("click", async () => {
      dirty.delete(sec);
      box.hidden = true;
      await refreshMinutes(sec);
      note(sec, "Diskens udgave er indlæst.");
    });
    box.dataset.tekst = body.tekst !== undefined ? body.tekst : "";
    box.append(yours, disk, keep, " ", take);
    box.hidden = false;
    note(sec, "Ikke gemt: konflikt.");
  }

  function tasks(sec) {
    const out = [];
    let incomplete = false;
    for (const row of sec.querySelectorAll("tr.opgave")) {
      const task = {};
      for (const field of ["opgave", "ansvarlig", "frist", "status"]) {
        task[field] = row.querySelector(`[name="${field}"]`).value.trim();
      }
      if (!task.opgave && !task.ansvarlig && !task.frist) continue;
      if (!task.opgave || !task.ansvarlig || !task.frist) { incomplete = true; continue; }
      out.push(task);
    }
    return {tasks: out, incomplete};
  }

  function attendance(sec) {
    const present = [], absent = [];
    for (const row of sec.querySelectorAll("tr[data-navn]")) {
      const checked = row.querySelector("input:checked");
      if (checked && checked.value === "til_stede") present.push(row.dataset.navn);
      if (checked && checked.value === "fravaerende") absent.push(row.dataset.navn);
    }
    return {til_stede: present, fravaerende: absent};
  }

  function partial(sec) {
    const out = [];
    for (const row of sec.querySelectorAll("tr[data-navn]")) {
      const entry = {navn: row.dataset.navn};
      for (const select of row.querySelectorAll("select.delvis")) {
        if (select.value) entry[select.name] = Number(select.value);
      }
      if (Object.keys(entry).length > 1) out.push(entry);
    }
    return out;
  }

  function taskRow(task) {
    const row = el("tr", "opgave");
    for (const [field, label, type] of [["opgave", "Opgave", "text"], ["ansvarlig", "Ansvarlig", "text"],
                                        ["frist", "Frist", "date"]]) {
      const input = el("input");
      input.name = field; input.type = type; input.value = task[field] || "";
      input.setAttribute("aria-label", label);
      const cell = el("td"); cell.append(input); row.append(cell);
    }
    const select = el("select");
    select.name = "status"; select.setAttribute("aria-label", "Status");
    for (const value of ["åben", "udført"]) {
      const option = el("option", null, value);
      option.selected = (task.status || "åben") === value;
      select.append(option);
    }
    const cell = el("td"); cell.append(select); row.append(cell);
    const remove = el("button", "fjern-opgave", "Fjern"); remove.type = "button";
    const last = el("td"); last.append(remove); row.append(last);
    return row;
  }

  const timers = new Map();
  const waiting = new Map();  // section → the save its timer will make
  function later(sec, action, ms) {
    dirty.add(sec);
    clearTimeout(timers.get(sec));
    waiting.set(sec, action);
    timers.set(sec, setTimeout(async () => { waiting.delete(sec); if (await action()) dirty.delete(sec); }, ms));
  }
  function now(sec, action) {
    clearTimeout(timers.get(sec));
    waiting.delete(sec);
    dirty.add(sec);
    return action().then((ok) => { if (ok) dirty.delete(sec); });
  }
  // The page closed (or reloaded, or left for the preview) less than 600 ms after the last key: what was typed is
  // saved now, with a request that outlives the page (keepalive), instead of being lost with its timer.
  let leaving = false;
  window.addEventListener("pagehide", () => {
    leaving = true;
    for (const [sec, action] of waiting) { clearTimeout(timers.get(sec)); action(); }
    waiting.clear();
  });

  function saveDecision(sec) {
    return () => post("beslutning", sec, {fil: sec.dataset.fil, tekst: sec.querySelector("textarea").value});
  }
  function saveTasks(sec) {
    return async () => {
      const {tasks: list, incomplete} = tasks(sec);
      const ok = await post("opfoelgning", sec, {fil: sec.dataset.fil, opgaver: list});
      if (incomplete) note(sec, "En opgave gemmes, når opgave, ansvarlig og frist er udfyldt.");
      // A task not yet complete is not in the file: the section stays "being worked in", so that a change from
      // elsewhere does not replace the table and lose it (a later save conflicts instead, with both versions).
      return ok && !incomplete;
    };
  }

  // A standard phrase replaces an empty decision or the phrase a button put there (alone, or after the text typed
  // above it); text the secretary typed is kept, and the phrase follows it. Ctrl+Z undoes the click.
  function withPhrase(text, phrase, phrases) {
    const kept = text.replace(/\s*$/, "");
    if (!kept.trim()) return phrase;
    for (const earlier of phrases) {
      if (kept === earlier) return phrase;
      if (kept.endsWith("\n\n" + earlier)) return kept.slice(0, kept.length - earlier.length) + phrase;
    }
    return kept + "\n\n" + phrase;
  }
  // The new text as an edit of the field, so the browser's undo (Ctrl+Z) restores what was there before.
  function setText(area, text) {
    if (area.value === text) return;
    area.focus();
    area.select();
    const edited = document.execCommand && document.execCommand("insertText", false, text);
    if (!edited || area.value !== text) area.value = text;
  }

  function setupMinutes() {
    for (const sec of document.querySelectorAll("section.punkt[data-sha256]")) {
      const area = sec.querySelector("textarea");
      area.addEventListener("input", () => later(sec, saveDecision(sec), 600));
      area.addEventListener("change", () => {
        // Leaving the field to answer a conflict ("Gem min udgave", "Brug diskens udgave") is no new save: it
        // would only conflict again and hide the choice just made.
        const box = sec.querySelector(".konflikt");
        if (!box.hidden && box.dataset.tekst === area.value) return;
        now(sec, saveDecision(sec));
      });
      const phrases = [...sec.querySelectorAll("button.frase")].map((b) => b.dataset.frase);
      for (const button of sec.querySelectorAll("button.frase")) {
        button.addEventListener("click", () => {
          setText(area, withPhrase(area.value, button.dataset.frase, phrases));
          now(sec, saveDecision(sec));
        });
      }
      const body = sec.querySelector(".opgaver tbody");
      sec.querySelector(".ny-opgave").addEventListener("click", () => {
        body.append(taskRow({}));
        body.lastElementChild.querySelector("input").focus();
      });
      body.addEventListener("change", () => now(sec, saveTasks(sec)));
      body.addEventListener("input", () => dirty.add(sec));
      body.addEventListener("click", (event) => {
        if (event.target.classList.contains("fjern-opgave")) {
          event.target.closest("tr").remove();
          now(sec, saveTasks(sec));
        }
      });
    }
    for (const sec of document.querySelectorAll("section[data-sha256]")) {
      // Leaving a section: take over what changed elsewhere while it was being worked in.
      sec.addEventListener("focusout", (event) => {
        if (sec.contains(event.relatedTarget) || dirty.has(sec)) return;
        setTimeout(() => refreshMinutes(false).catch((error) => say("Kunne ikke opdatere: " + error)), 0);
      });
    }
    const att = document.getElementById("fremmoede");
    if (!att) return;
    att.querySelector("table").addEventListener("change", (event) => {
      if (event.target.classList.contains("delvis")) now(att, () => post("delvis", att, {delvis: partial(att)}));
      else now(att, () => post("fremmoede", att, attendance(att)));
    });
    document.getElementById("gaester").addEventListener("change", (event) => {
      const guest = event.target.closest("li.gaest");
      const items = [...guest.querySelectorAll("input:checked")].map((box) => Number(box.value) || box.value);
      now(att, () => post("gaest-punkter", att, {navn: guest.dataset.navn, punkter: items}));
    });
    document.getElementById("gaester").addEventListener("click", async (event) => {
      if (!event.target.classList.contains("fjern-gaest")) return;
      const guest = event.target.closest("li.gaest");
      if (!window.confirm("Fjern " + visible(guest.dataset.navn) + " fra deltagerne?")) return;
      dirty.add(att);
      if (await post("gaest-fjern", att, {navn: guest.dataset.navn})) { dirty.delete(att); await refreshMinutes(att); }
    });
    document.getElementById("ny-gaest").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      const data = Object.fromEntries(new FormData(form).entries());
      if (await post("gaest", att, data)) { form.reset(); await refreshMinutes(att); }
    });
  }

  function guestItem(guest, numbers) {
    const li = el("li", "gaest");
    li.dataset.navn = guest.navn;
    li.append(el("span", "navn", visible(guest.navn)));
    const role = [guest.titel, guest.organisation].filter(Boolean).join(", ");
    if (role) li.append(" ", el("span", "rolle", "(" + visible(role) + ")"));
    if (guest.i_stedet_for) li.append(" ", el("span", "stedfortraeder", "i stedet for " + visible(guest.i_stedet_for)));
    const group = el("span", "punktvalg");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Punkter for " + visible(guest.navn));
    for (const n of numbers) {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox"; box.value = n; box.checked = guest.punkter.includes(n);
      label.append(box, " " + n);
      group.append(label, " ");
    }
    const remove = el("button", "fjern-gaest", "Fjern");
    remove.type = "button";
    remove.setAttribute("aria-label", "Fjern " + visible(guest.navn));
    li.append(" ", group, " ", remove);
    return li;
  }

  // Another tab's save or an edit on disk: take over what is not being typed in here. `forced` (a section) takes the
  // disk's version there even while it is being worked in ("Brug diskens udgave", a guest just added); every other
  // section keeps what is typed in it.
  // Typed here and not yet in the file: a field waiting for its save, or a task row not yet complete.
  function unsaved() {
    return dirty.size > 0 || [...document.querySelectorAll("section.punkt[data-sha256]")].some((s) => tasks(s).incomplete);
  }

  async function refreshMinutes(forced) {
    const state = await getState(true);
    version = state.version;
    document.body.dataset.version = String(version);
    const data = state.skriv;
    const general = document.querySelector("#moedet ul.beskeder");
    if (general) fillMessages(general, state.beskeder.filter((m) => m.punkt === ""));
    const sections = [...document.querySelectorAll("section.punkt")];
    // Every item's messages beside it, also an item whose file cannot be read now (it is not in data.punkter).
    for (const sec of sections) {
      fillMessages(sec.querySelector("ul.beskeder"), state.beskeder.filter((m) => m.punkt === sec.dataset.fil));
    }
    const blocked = document.getElementById("kan-ikke-indlaeses");
    if (!data || !data.klar) {
      if (blocked) blocked.hidden = false;
      const first = state.beskeder.find((m) => m.alvor === "fejl");
      say("Mødet kan ikke indlæses lige nu" + (first ? ": " + visible(first.tekst) : "") + ". Intet gemmes, før det er rettet.");
      return;
    }
    if (blocked) blocked.hidden = true;
    // The items the page can write in are not the ones the meeting has now (a file made unreadable or readable
    // again, the item list changed): the page is built again, unless something typed here is not yet saved.
    const main = document.querySelector("main.skriv");
    if (main && main.dataset.opbygning !== data.opbygning) {
      if (!unsaved()) { location.reload(); return; }
      say("Punktlisten eller medlemmerne er ændret på disken; genindlæs siden, når det, du har skrevet, er gemt.");
    }
    for (const item of data.punkter) {
      const sec = sections.find((s) => s.dataset.fil === item.fil && s.dataset.sha256 !== undefined);
      if (!sec) continue;
      const force = forced === sec;
      // Being typed in (or just focused): keep what is there and the sha256 it was loaded with, so that the
      // next save is checked against the older file and conflicts instead of overwriting the newer one.
      // A task row being filled in (not yet in the file) is kept the same way.
      if ((dirty.has(sec) || sec.contains(document.activeElement) || tasks(sec).incomplete) && !force) continue;
      if (sec.dataset.sha256 === item.sha256 && !force) continue;
      sec.dataset.sha256 = item.sha256;
      sec.querySelector("h2").textContent = visible(item.nummer + ". " + item.titel);
      sec.querySelector("textarea").value = item.beslutning;
      const body = sec.querySelector(".opgaver tbody");
      body.replaceChildren(...item.opfoelgning.map(taskRow));
    }
    const att = document.getElementById("fremmoede");
    const force = forced === att;
    // Attendance is chosen with buttons, not typed: focus on one (it stays after a click) does not keep another
    // tab's change out; only a save not yet answered does. The form for a new participant is not touched.
    if (att && (force || (!dirty.has(att) && att.dataset.sha256 !== data.moede_sha256))) {
      att.dataset.sha256 = data.moede_sha256;
      for (const row of att.querySelectorAll("tr[data-navn]")) {
        const name = row.dataset.navn;
        const value = data.til_stede.includes(name) ? "til_stede" : data.fravaerende.includes(name) ? "fravaerende" : "";
        for (const radio of row.querySelectorAll("input")) radio.checked = radio.value === value;
        const part = data.delvis[name] || {};
        for (const select of row.querySelectorAll("select.delvis")) {
          select.value = part[select.name] == null ? "" : String(part[select.name]);
        }
      }
      document.getElementById("gaester").replaceChildren(...data.oevrige.map((g) => guestItem(g, data.numre)));
    }
    say(`Opdateret (version ${version}).`);
  }

  // ---------------------------------------------------------------------------------------------- events
  function listen() {
    const source = new EventSource("/events");
    source.addEventListener("skift", (event) => {
      const data = JSON.parse(event.data);
      if (data.version === version) return;
      (side === "skriv" ? refreshMinutes(false) : refreshPreview()).catch((error) => say("Kunne ikke opdatere: " + error));
    });
    source.addEventListener("error", () => say("Forbindelsen til referat serve er afbrudt; prøver igen …"));
    source.addEventListener("open", () => say("Forbundet; ændringer i mappen vises af sig selv."));
  }

  if (side === "skriv") setupMinutes();
  listen();
})();
