/* clausekit: Material for MkDocs' search worker, with Chinese queries split into words.
 *
 * The site's index holds Chinese text cut into words by jieba at build time. The
 * theme's worker cuts a Chinese query by matching it against the index's words, but
 * never tries a word that ends the query, so 保密期限 is searched as 保密 alone (and
 * pages holding both words do not rank first). Here each run of Chinese characters
 * in a query is cut into the longest words the index holds, separated by spaces,
 * before the theme's worker sees it. The theme's worker cuts each of these words
 * again, and would shorten 期限 to 期 (a word of the index too): a rare character
 * after each known word, which no page holds and that cut drops, keeps it whole.
 * The worker itself is loaded unchanged.
 */
"use strict";
(function () {
  const SETUP = 0;
  const QUERY = 2;
  const LONGEST = 8;
  const KEEP = "\u{2A6D6}"; // a CJK Extension B character: in no index, dropped by the cut
  const words = new Set();
  const separator = /[\s\u200b\u3000\-、。，．？！；：,.;:!?（）()《》“”"'<>/]+/u;
  const han = /\p{sc=Han}+/gu;

  function learn(data) {
    for (const doc of data.docs || []) {
      for (const text of [doc.title || "", doc.text || ""]) {
        for (const word of text.replace(/<[^>]*>/g, " ").split(separator)) {
          if (word && han.test(word)) words.add(word.toLowerCase());
          han.lastIndex = 0;
        }
      }
    }
  }

  function cut(run) {
    const out = [];
    for (let i = 0; i < run.length; ) {
      let n = Math.min(LONGEST, run.length - i);
      while (n > 1 && !words.has(run.slice(i, i + n))) n--;
      const word = run.slice(i, i + n);
      out.push(words.has(word) ? word + KEEP : word);
      i += n;
    }
    return out.join(" ");
  }

  function segment(message) {
    if (message && message.type === SETUP) learn(message.data);
    if (message && message.type === QUERY && typeof message.data === "string") {
      return { type: QUERY, data: message.data.replace(han, cut) };
    }
    return message;
  }

  const add = self.addEventListener.bind(self);
  self.addEventListener = function (type, listener, options) {
    if (type !== "message") return add(type, listener, options);
    return add(type, (event) => listener({ data: segment(event.data) }), options);
  };
})();
importScripts("@@WORKER@@");
