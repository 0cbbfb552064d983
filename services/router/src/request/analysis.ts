// What a request asks to DO, read from its clause structure rather than from a list of
// phrasings: the action verbs (lemmas, with their particle: "roll out" is not "roll back"),
// and the role each plays. A verb is *dispreferred* when a negation reaches it (the first
// action verb after "not"/"never"/"without", and the verbs coordinated with it: "do not modify
// the order", "don't find X and assign Y") or a contrast marker sets it aside ("instead of
// exchanging", "rather than cancelling"); every other action verb is *preferred*. Only base
// forms are requests: past forms and participles tell what is or was ("I haven't met", "a
// meeting called X"). Part-of-speech tags and lemmas come from wink-nlp's English model
// (docs/dependencies.md). The only lexical knowledge here is grammatical: contrast markers,
// phrasal particles, light verbs (want, need, be...); the verbs that by meaning change nothing
// (look-ups, "keep") are in structural.ts.
import winkNLP, { type ItemToken, type ItsFunction } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { stem } from '../text.js';

const nlp = winkNLP(model, ['pos']);
const its = nlp.its;
// lemma needs the model's add-ons, which the typings do not pass through
const lemmaOf = its.lemma as unknown as ItsFunction<string>;

/** The actions a text asks for and the ones it rules out. */
export interface RequestAnalysis {
  /** Lemmas of the action verbs asked for, in reading order. */
  preferred: string[];
  /** Lemmas negated or set aside by a contrast ("instead of", "rather than", "not X but Y"). */
  dispreferred: string[];
  /** A negation or contrast marker is present (the text distinguishes between actions). */
  contrast: boolean;
  /** A preferred action is restricted by "just" / "only" ("just check"). */
  restricted: boolean;
}

// Verbs that carry no action of their own ("I want to", "can you", "I need").
const LIGHT = new Set(['be', 'have', 'do', 'can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must', 'want', 'need', 'like', 'wish', 'let', 'help', 'try', 'please', 'think', 'know', 'seem', 'sure', 'mind', 'hope', 'love', 'prefer', 'decide', 'go']);
// Particles that make a phrasal verb a different action.
const PARTICLES = new Set(['out', 'back', 'up', 'down', 'off', 'over', 'away']);
// Two-word markers whose following verb is set aside: "instead of X", "rather than X".
const CONTRAST_PAIRS: [string, string][] = [['instead', 'of'], ['rather', 'than'], ['other', 'than'], ['in', 'place']];
// What may come right before a clause's imperative verb (adverbs are skipped: "please just ...").
const IMPERATIVE_AFTER = new Set(['PUNCT', 'CCONJ', 'SYM', 'INTJ']);
const COORDINATORS = new Set(['and', 'or', 'nor']);
const QUOTES = new Set(["'", '"', '“', '”', '‘', '’', '`']);
// Tags the tagger gives an imperative verb it does not recognise ("Plot the...", "Forward the...").
const MISTAGGED_IMPERATIVE = new Set(['NOUN', 'PROPN', 'ADJ', 'ADV']);
const OBJECT_START = new Set(['DET', 'PRON', 'NOUN', 'PROPN', 'ADP', 'NUM', 'ADJ']);

interface Tok {
  value: string;
  lower: string;
  pos: string;
  lemma: string;
}

function tokens(text: string): Tok[] {
  const doc = nlp.readDoc(text);
  const out: Tok[] = [];
  doc.tokens().each((t: ItemToken) => {
    const value = t.out(its.value);
    out.push({ value, lower: value.toLowerCase(), pos: t.out(its.pos), lemma: t.out(lemmaOf).toLowerCase() });
  });
  return out;
}

/** Reads the actions of a request and their roles. */
export function analyseRequest(text: string): RequestAnalysis {
  const toks = tokens(text.slice(0, 2_000));
  const preferred: string[] = [];
  const dispreferred: string[] = [];
  let contrast = false;
  let restricted = false;
  let negationArmed = false; // a negation reaches the first action verb after it, in its clause
  let setAside = false; // the next verb of this clause follows "instead of" / "rather than"
  let onlyNext = false;
  let lastNegated = false;
  let inQuote = false;
  let prev: Tok | undefined; // the previous token that is not an adverb
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1];
    // a quoted span is a value (a subject line, a body), not part of the request
    if (t.pos === 'PUNCT' && QUOTES.has(t.value)) {
      inQuote = !inQuote;
      continue;
    }
    if (inQuote) continue;
    if (t.pos === 'PUNCT' || t.pos === 'CCONJ' || t.pos === 'SYM') {
      // a negation distributes over coordinated verbs ("don't find X and assign Y"), not past
      // a clause break or a contrast ("not X but Y")
      negationArmed = t.pos === 'CCONJ' && COORDINATORS.has(t.lower) && lastNegated;
      setAside = onlyNext = false;
      lastNegated = negationArmed;
      prev = t;
      continue;
    }
    if ((t.pos === 'PART' && t.lower !== 'to') || t.lower === 'never' || t.lower === 'no' || t.lower === 'without') {
      contrast = negationArmed = true;
      if (t.pos === 'PART') prev = t; // "never" keeps the clause start: "Never forward ..."
      continue;
    }
    const pair = CONTRAST_PAIRS.find(([a, b]) => t.lower === a && next?.lower === b);
    if (pair) {
      contrast = setAside = true;
      i++;
      prev = toks[i];
      continue;
    }
    if (t.lower === 'instead') contrast = true;
    if (t.lower === 'just' || t.lower === 'only') {
      onlyNext = true;
      negationArmed = false; // "do not modify it and just check it"
    }
    // imperatives start their clause, or follow "to", "you" ("can you X") or a negation ("do not X")
    const clauseStart = prev === undefined || IMPERATIVE_AFTER.has(prev.pos) || prev.pos === 'PART' || (prev.pos === 'PRON' && prev.lower === 'you');
    const imperative =
      (clauseStart && MISTAGGED_IMPERATIVE.has(t.pos) && next !== undefined && (OBJECT_START.has(next.pos) || PARTICLES.has(next.lower))) ||
      // "instead of forwarding it": the -ing form right after a contrast marker, however tagged
      (setAside && prev?.lower !== undefined && CONTRAST_PAIRS.some(([, b]) => b === prev!.lower) && MISTAGGED_IMPERATIVE.has(t.pos) && t.lower.endsWith('ing'));
    // told, not asked: a request uses the verb's base form ("cancel"), or its -ing form after a
    // contrast ("instead of cancelling"). Past forms, participles and -s forms tell what is or
    // was ("I haven't met", "customers interested in", "a meeting called X", "engaged users").
    const narrative = t.pos === 'VERB' && t.lower !== t.lemma && !t.lower.endsWith('ing');
    const light = LIGHT.has(t.lemma) || (next !== undefined && (next.lower === 'sure' || next.lower === 'certain'));
    if (t.pos !== 'ADV') prev = t;
    if (narrative) {
      negationArmed = lastNegated = false;
      continue;
    }
    if (!((t.pos === 'VERB' || imperative) && !light)) continue;
    const lemma = t.pos === 'VERB' ? t.lemma : t.lower.endsWith('ing') ? stem(t.lower) : t.lower;
    // "roll out", "push it back": the particle right after the verb or after its pronoun object
    const particle = [toks[i + 1], toks[i + 1]?.pos === 'PRON' ? toks[i + 2] : undefined].find((p) => p && PARTICLES.has(p.lower) && (p.pos === 'ADP' || p.pos === 'ADV' || p.pos === 'PART'));
    const action = particle ? `${lemma} ${particle.lower}` : lemma;
    lastNegated = negationArmed || setAside;
    if (negationArmed || setAside) dispreferred.push(action);
    else {
      preferred.push(action);
      if (onlyNext) restricted = true;
    }
    negationArmed = setAside = onlyNext = false;
  }
  // an action asked for elsewhere in the text is not ruled out ("don't ship yet, ship on Monday")
  return { preferred: [...new Set(preferred)], dispreferred: [...new Set(dispreferred.filter((d) => !preferred.includes(d)))], contrast, restricted };
}

/** Every word of a tool name: "email.delete_email" -> delete, email (a query may use the object as the verb: "plot", "email"). */
export function toolWords(toolName: string): string[] {
  const last = toolName.split('.').filter((s) => s && s !== 'func').pop() ?? toolName;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').split(/[^A-Za-z]+/).filter(Boolean).map((w) => w.toLowerCase());
}

/** The action verb of a tool name: "email.delete_email" -> delete, "getOrderStatus" -> get. */
export function toolVerb(toolName: string): string {
  const words = toolWords(toolName);
  if (words.length === 0) return toolName.toLowerCase();
  // read as an instruction, so the verb is tagged as one
  const toks = tokens(`${words.join(' ')}`);
  const verb = toks.find((t) => t.pos === 'VERB' && !LIGHT.has(t.lemma));
  return verb ? verb.lemma : words[0]!;
}
