import type { Rng } from './prng';

/**
 * Financial-news sentence templates written for Tuneline's samples (no third-party text),
 * each with its sentiment and topic. Slots: {co} company, {pct} percent, {small} small
 * percent, {amt} money, {q} quarter as an adjective ("third-quarter"), {qn} as a noun,
 * {prod} product, {exec} person, {city}, {reg} regulator, {n} a count, {day}, {month}.
 */
export type Sentiment = 'negative' | 'neutral' | 'positive';
export type Topic = 'earnings' | 'm&a' | 'regulation' | 'litigation' | 'macro' | 'product' | 'management' | 'other';

export interface Template {
  readonly text: string;
  readonly label: Sentiment;
  readonly topic: Topic;
}

const t = (label: Sentiment, topic: Topic, text: string): Template => ({ label, topic, text });

export const TEMPLATES: readonly Template[] = [
  // negative
  t('negative', 'earnings', '{co} swung to a {q} loss as revenue fell {pct}%.'),
  t('negative', 'earnings', '{co} cut its full-year profit forecast after weak demand.'),
  t('negative', 'earnings', '{co} missed analyst estimates, and its shares slid {pct}% in early trading.'),
  t('negative', 'earnings', 'Operating margin at {co} shrank to {small}% on rising costs.'),
  t('negative', 'earnings', '{co} warned that {q} sales will come in well below expectations.'),
  t('negative', 'earnings', '{co} booked a {amt} writedown on its struggling consumer unit.'),
  t('negative', 'earnings', '{co} suspended its dividend to preserve cash.'),
  t('negative', 'earnings', '{co} breached its debt covenants and is renegotiating with lenders.'),
  t('negative', 'earnings', 'Auditors raised doubts about whether {co} can continue as a going concern.'),
  t('negative', 'earnings', '{co} withdrew its guidance, citing severe supply shortages.'),
  t('negative', 'earnings', 'Analysts downgraded {co} to sell after a string of losses.'),
  t('negative', 'earnings', 'Rating agencies cut {co} to junk, citing mounting debt.'),
  t('negative', 'earnings', '{co} disclosed a {amt} trading loss at its {city} desk.'),
  t('negative', 'm&a', "{co}'s bid for a rival collapsed after financing fell through."),
  t('negative', 'm&a', "Shareholders rejected {co}'s proposed merger, sending the stock lower."),
  t('negative', 'm&a', '{co} abandoned its {amt} acquisition amid antitrust objections.'),
  t('negative', 'm&a', 'The deal to buy {co} was called off, and its shares sank {pct}%.'),
  t('negative', 'regulation', 'Regulators fined {co} {amt} for breaching capital rules.'),
  t('negative', 'regulation', "The {reg} opened an investigation into {co}'s lending practices."),
  t('negative', 'regulation', '{co} was ordered to halt sales of its {prod} pending a safety review.'),
  t('negative', 'regulation', 'Supervisors found serious control failures at {co}.'),
  t('negative', 'regulation', '{co} faces a {amt} penalty over money-laundering failures.'),
  t('negative', 'regulation', '{co} lost its operating licence in {city}.'),
  t('negative', 'litigation', 'Investors sued {co}, alleging it misled them about loan losses.'),
  t('negative', 'litigation', '{co} lost a patent case and must pay {amt} in damages.'),
  t('negative', 'litigation', 'A class action accuses {co} of hiding defects in its {prod}.'),
  t('negative', 'litigation', 'Prosecutors charged two former {co} traders with fraud.'),
  t('negative', 'litigation', '{co} is fighting a lawsuit over misleading fee disclosures.'),
  t('negative', 'litigation', 'A short seller accused {co} of inflating its revenue, and the shares tumbled.'),
  t('negative', 'macro', 'Rising interest rates squeezed lending volumes at {co}.'),
  t('negative', 'macro', '{co} said the slowing economy has hurt orders across Europe.'),
  t('negative', 'macro', "A weaker currency wiped {amt} off {co}'s quarterly earnings."),
  t('negative', 'macro', "Inflation and weak consumer spending dragged {co}'s sales down {pct}%."),
  t('negative', 'product', '{co} recalled {n} units of its {prod} over a battery fault.'),
  t('negative', 'product', '{co} delayed the launch of its {prod} for the second time.'),
  t('negative', 'product', "Customers reported widespread outages of {co}'s {prod}."),
  t('negative', 'product', "{co}'s {prod} failed its final safety trial."),
  t('negative', 'product', 'Key customers are leaving {co} after repeated delivery failures.'),
  t('negative', 'management', "{co}'s chief executive resigned abruptly amid an accounting probe."),
  t('negative', 'management', '{co} will cut {n} jobs and close its {city} plant.'),
  t('negative', 'management', 'The finance chief of {co} stepped down after a reporting error.'),
  t('negative', 'management', 'A bitter board dispute has left {co} without a permanent chief executive.'),
  t('negative', 'other', '{co} shares plunged {pct}% after it disclosed a cyber attack.'),
  t('negative', 'other', 'A data breach at {co} exposed the records of {n} customers.'),
  t('negative', 'other', "Strikes halted production at {co}'s {city} factory."),
  // neutral
  t('neutral', 'earnings', '{co} will report {q} results on {day}.'),
  t('neutral', 'earnings', '{co} posted {q} revenue of {amt}, in line with expectations.'),
  t('neutral', 'earnings', '{co} kept its full-year outlook unchanged.'),
  t('neutral', 'earnings', "{co}'s {q} earnings call is scheduled for {day} morning."),
  t('neutral', 'earnings', '{co} will release a {q} trading update before the market opens.'),
  t('neutral', 'earnings', 'Analysts expect {co} to report revenue of about {amt}.'),
  t('neutral', 'earnings', '{co} reiterated its medium-term targets.'),
  t('neutral', 'earnings', '{co} plans to issue {amt} of bonds maturing in 2030.'),
  t('neutral', 'm&a', '{co} confirmed it is in early talks about a possible acquisition.'),
  t('neutral', 'm&a', '{co} completed the previously announced sale of its {city} office building.'),
  t('neutral', 'm&a', 'The merger between {co} and a smaller peer is expected to close next year.'),
  t('neutral', 'm&a', '{co} did not disclose the financial terms of the agreement.'),
  t('neutral', 'regulation', '{co} submitted its annual filing to the {reg}.'),
  t('neutral', 'regulation', 'New disclosure rules from the {reg} take effect in {month}.'),
  t('neutral', 'regulation', "{co} said it is reviewing the regulator's draft guidance."),
  t('neutral', 'regulation', 'The {reg} published a list of firms covered by the new rules, including {co}.'),
  t('neutral', 'litigation', 'A court hearing in the case against {co} was postponed to {month}.'),
  t('neutral', 'litigation', '{co} declined to comment on the lawsuit.'),
  t('neutral', 'litigation', '{co} said it will respond to the complaint in court.'),
  t('neutral', 'macro', 'The central bank left interest rates unchanged, as expected.'),
  t('neutral', 'macro', 'Inflation data for {month} is due on {day}.'),
  t('neutral', 'macro', 'Bond yields were little changed ahead of the jobs report.'),
  t('neutral', 'macro', 'Oil prices traded in a narrow range on {day}.'),
  t('neutral', 'macro', 'The economy grew at an annual rate of {small}% in the {qn}.'),
  t('neutral', 'product', '{co} will present its {prod} at a trade fair in {city}.'),
  t('neutral', 'product', '{co} updated the pricing of its {prod} for business customers.'),
  t('neutral', 'product', "{co} said its {prod} will be available in {city} from {month}."),
  t('neutral', 'management', '{co} appointed {exec} as head of its retail division.'),
  t('neutral', 'management', '{exec} will join the board of {co} in {month}.'),
  t('neutral', 'management', '{co} moved its headquarters to {city}.'),
  t('neutral', 'management', 'The board of {co} meets on {day} to discuss the dividend.'),
  t('neutral', 'other', '{co} is headquartered in {city} and employs about {n} people.'),
  t('neutral', 'other', "{co}'s shares are listed on the {city} stock exchange."),
  t('neutral', 'other', '{co} operates {n} branches across the region.'),
  t('neutral', 'other', '{co} will publish its sustainability report in {month}.'),
  t('neutral', 'other', '{co} opened a new office in {city}.'),
  t('neutral', 'other', 'Trading in {co} shares was normal on {day}.'),
  t('neutral', 'other', '{co} said the changes will not affect its customers.'),
  t('neutral', 'other', '{co} signed a lease for warehouse space in {city}.'),
  t('neutral', 'other', '{co} held its investor day in {city} on {day}.'),
  t('neutral', 'other', '{exec}, a spokesperson for {co}, confirmed the figures.'),
  t('neutral', 'other', "{co}'s annual report is available on its website."),
  // positive
  t('positive', 'earnings', '{co} raised its full-year guidance after a strong {qn}.'),
  t('positive', 'earnings', "{co}'s {q} profit jumped {pct}%, beating estimates."),
  t('positive', 'earnings', '{co} reported record revenue of {amt}.'),
  t('positive', 'earnings', 'Margins at {co} widened to {small}% thanks to lower costs.'),
  t('positive', 'earnings', '{co} increased its dividend by {pct}%.'),
  t('positive', 'earnings', '{co} announced a {amt} share buyback.'),
  t('positive', 'earnings', '{co} shares rallied {pct}% after upbeat results.'),
  t('positive', 'earnings', 'Analysts upgraded {co} to buy, citing strong order growth.'),
  t('positive', 'earnings', "{co}'s credit rating was upgraded on improving cash flow."),
  t('positive', 'earnings', '{co} returned to profit in the {qn}.'),
  t('positive', 'earnings', "{co}'s order book reached a record {amt}."),
  t('positive', 'earnings', 'Net interest income at {co} rose {pct}% as lending grew.'),
  t('positive', 'earnings', '{co} beat revenue expectations for the fifth quarter in a row.'),
  t('positive', 'earnings', 'Cost savings at {co} exceeded the target by {amt}.'),
  t('positive', 'm&a', '{co} agreed to acquire a fast-growing rival, expanding its market share.'),
  t('positive', 'm&a', "Investors cheered {co}'s merger with a larger partner, lifting the shares {pct}%."),
  t('positive', 'm&a', '{co} won approval for its {amt} takeover.'),
  t('positive', 'm&a', '{co} closed its acquisition early and raised its savings target.'),
  t('positive', 'regulation', 'Regulators cleared {co} to launch its {prod} nationwide.'),
  t('positive', 'regulation', "{co} passed the central bank's stress test with a comfortable buffer."),
  t('positive', 'regulation', 'The {reg} closed its review of {co} without taking any action.'),
  t('positive', 'litigation', '{co} won its patent dispute, and the court awarded it {amt}.'),
  t('positive', 'litigation', 'A judge dismissed the lawsuit against {co}.'),
  t('positive', 'litigation', '{co} settled the case on favourable terms, removing a major uncertainty.'),
  t('positive', 'macro', 'Falling energy prices lowered costs for {co}.'),
  t('positive', 'macro', "Strong consumer spending boosted {co}'s sales by {pct}%."),
  t('positive', 'macro', 'Lower interest rates lifted mortgage demand at {co}.'),
  t('positive', 'macro', 'Stronger-than-expected economic growth lifted shares of {co}.'),
  t('positive', 'product', "{co}'s new {prod} sold out within days of launch."),
  t('positive', 'product', '{co} won a {amt} contract to supply its {prod}.'),
  t('positive', 'product', 'Demand for its {prod} helped {co} grow orders by {pct}%.'),
  t('positive', 'product', '{co} launched its {prod} to excellent reviews.'),
  t('positive', 'product', '{co} signed a lucrative multi-year deal with a major retailer.'),
  t('positive', 'product', '{co} gained {n} new customers in the {qn}.'),
  t('positive', 'product', "{co}'s {prod} won an industry innovation award."),
  t('positive', 'management', '{co} named {exec}, a widely respected industry veteran, as chief executive.'),
  t('positive', 'management', '{co} will hire {n} engineers as it expands in {city}.'),
  t('positive', 'management', 'The turnaround plan at {co} is ahead of schedule, the chief executive said.'),
  t('positive', 'management', '{co} promoted {exec} to chief operating officer, a move investors welcomed.'),
  t('positive', 'other', '{co} expanded into {city}, opening its largest store yet.'),
  t('positive', 'other', 'Customer deposits at {co} grew {pct}% year on year.'),
  t('positive', 'other', '{co} shares hit an all-time high on strong investor demand.'),
];

/** Fictional companies that are not on the sample watch-list (training variety, background items). */
export const OTHER_COMPANIES: readonly string[] = [
  'Tallow & Finch', 'Brightwater Utilities', 'Copperline Mining', 'Silverleaf Retail', 'Ironbridge Logistics',
  'Pinecrest Telecom', 'Harborview Capital', 'Redwood Software', 'Stonegate Chemicals', 'Amberly Foods',
  'Larkspur Media', 'Oakhurst Insurance', 'Vantage Rail', 'Cobalt Ridge Metals', 'Seabright Shipping', 'Fjordline Payments',
];

const SLOTS: Readonly<Record<string, readonly string[]>> = {
  q: ['first-quarter', 'second-quarter', 'third-quarter', 'fourth-quarter'],
  qn: ['first quarter', 'second quarter', 'third quarter', 'fourth quarter'],
  prod: ['payments app', 'electric van', 'cloud platform', 'home insurance plan', 'industrial robot', 'savings account', 'battery pack', 'trading platform', 'heat pump', 'chip design'],
  exec: ['Maria Lindqvist', 'Tomas Rivera', 'Aiko Tanaka', 'David Okafor', 'Elena Petrova', 'James Whitfield', 'Priya Raman', 'Lukas Berger'],
  city: ['Oslo', 'Lisbon', 'Rotterdam', 'Krakow', 'Lyon', 'Dublin', 'Turin', 'Gothenburg', 'Leeds', 'Porto'],
  reg: ['securities commission', 'banking supervisor', 'competition authority', 'financial regulator', 'consumer protection agency'],
  day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
  month: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'September', 'October', 'November'],
};

function amount(rng: Rng): string {
  const currency = rng.pick(['$', '€', '£']);
  return rng.next() < 0.2 ? `${currency}${rng.int(11, 49) / 10} billion` : `${currency}${rng.int(12, 950)} million`;
}

/** "Acme's", "Fjordline Payments'", "Northwind Bank's (NWB)". */
export function possessive(company: string): string {
  const tagged = /^(.*\S) (\([^()]+\))$/u.exec(company);
  if (tagged) return `${possessive(tagged[1] as string)} ${tagged[2] as string}`;
  return company.endsWith('s') ? `${company}'` : `${company}'s`;
}

/** Fills a template's slots; {co} becomes `company` (the caller picks the surface form). */
export function fillTemplate(template: Template, company: string, rng: Rng): string {
  return template.text.replace(/\{co\}'s/g, possessive(company)).replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'co': return company;
      case 'pct': return String(rng.int(3, 38));
      case 'small': return (rng.int(8, 45) / 10).toFixed(1);
      case 'amt': return amount(rng);
      case 'n': return String(rng.pick([rng.int(40, 400), rng.int(400, 5000)]));
      default: {
        const values = SLOTS[slot];
        if (!values) throw new RangeError(`template slot {${slot}} is unknown: ${template.text}`);
        return rng.pick(values);
      }
    }
  });
}

export function templatesWhere(filter: (t: Template) => boolean): Template[] {
  return TEMPLATES.filter(filter);
}
