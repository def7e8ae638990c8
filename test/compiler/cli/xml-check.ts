// A tiny XML well-formedness check for tests: tags nest and match, attributes are quoted and unique, text and
// attribute values hold no raw `<` and only known entities. Returns the elements seen (name + attributes + text).
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (/[<]/.test(raw) || /&/.test(raw.replace(ENTITY, ''))) throw new Error(`bad character data ${JSON.stringify(raw)} in ${where}`);
  return raw
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function checkXml(xml: string): XmlElement[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: XmlElement[] = [];
  const seen: XmlElement[] = [];
  let rootClosed = false;
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt < 0 ? body.length : lt);
    if (text.trim()) {
      if (!stack.length) throw new Error(`text outside the root: ${JSON.stringify(text)}`);
      stack[stack.length - 1].text += decode(text, stack[stack.length - 1].name);
    }
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    if (!m) throw new Error(`malformed tag at offset ${lt}: ${JSON.stringify(body.slice(lt, lt + 40))}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      if (!stack.length) rootClosed = true;
    } else {
      if (rootClosed || (!stack.length && seen.length)) throw new Error(`second root element <${name}>`);
      const attributes: Record<string, string> = {};
      for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
        if (a[1] in attributes) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
        attributes[a[1]] = decode(a[2], `${name}@${a[1]}`);
      }
      const element = { name, attributes, text: '' };
      seen.push(element);
      if (!selfClosing) stack.push(element);
      else if (!stack.length) rootClosed = true;
    }
    i = lt + whole.length;
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (!seen.length) throw new Error('no root element');
  return seen;
}
