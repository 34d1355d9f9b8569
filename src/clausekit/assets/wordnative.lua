-- clausekit's Word-native pass, run by clausekit.render.wordnative as
-- `pandoc --sandbox --lua-filter wordnative.lua` over the Word text of an
-- assembled document (clausekit.assemble.document: `_Doc.word`).
--
-- * `# Title {.ck-num ck-bm=_RefCk5}`: a numbered heading.  Its number comes from
--   the Word list linked to the heading styles; the bookmark sits inside the
--   heading's paragraph (Pandoc's own heading bookmark spans the whole section).
-- * `[Section 5.2]{.ck-ref ck-bm=... ck-pre="Section " ck-field="5.2"}`: a reference:
--   the words, then a REF field whose cached result is the number clausekit
--   computed.  Without ck-field (a form no field can show) it is a hyperlink to
--   the bookmark with the computed text.

-- Bookmark ids far above Pandoc's own, which count up from 0.
local next_id = 900000

local function xml(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function raw(s)
  return pandoc.RawInline("openxml", s)
end

function Header(h)
  local name = h.attributes["ck-bm"]
  if not h.classes:includes("ck-num") or name == nil then
    return nil
  end
  next_id = next_id + 1
  local id = tostring(next_id)
  h.content:insert(1, raw('<w:bookmarkStart w:id="' .. id .. '" w:name="' .. xml(name) .. '"/>'))
  h.content:insert(raw('<w:bookmarkEnd w:id="' .. id .. '"/>'))
  h.classes = pandoc.List()
  h.attributes = {}
  return h
end

local function field(name, cached)
  return raw(
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
      .. '<w:r><w:instrText xml:space="preserve"> REF '
      .. xml(name)
      .. ' \\w \\h </w:instrText></w:r>'
      .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
      .. '<w:r><w:t xml:space="preserve">'
      .. xml(cached)
      .. "</w:t></w:r>"
      .. '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
  )
end

function Span(s)
  if not s.classes:includes("ck-ref") then
    return nil
  end
  local name = s.attributes["ck-bm"]
  local cached = s.attributes["ck-field"]
  if cached == nil then
    -- Raw, because Pandoc would rename the anchor to its own heading identifier.
    -- No Hyperlink style: a reference in a contract reads as body text.
    return raw(
      '<w:hyperlink w:anchor="'
        .. xml(name)
        .. '"><w:r><w:t xml:space="preserve">'
        .. xml(pandoc.utils.stringify(s.content))
        .. "</w:t></w:r></w:hyperlink>"
    )
  end
  local out = pandoc.List()
  local pre = s.attributes["ck-pre"] or ""
  if pre ~= "" then
    out:insert(pandoc.Str((pre:gsub(" $", ""))))
    if pre:sub(-1) == " " then
      out:insert(pandoc.Space())
    end
  end
  out:insert(field(name, cached))
  return out
end
