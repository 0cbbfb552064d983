// Tenant acme-travel: a trip planner and an expense assistant.
import type { AgentDef } from '../model.js';
import { rngFor } from '../random.js';
import { rateLimit, requireEnum, requireExisting, requireIsoDate, S, type ToolDef } from '../tools.js';
import { AIRPORTS, CITIES, email, enumSlot, idSlot, isoDate, prefixedId, slot } from '../values.js';

const CABINS = ['economy', 'premium', 'business', 'first'] as const;
const CURRENCIES = ['EUR', 'GBP', 'JPY', 'USD'] as const;
const PORTS = AIRPORTS.slice(0, 6);
const HOTEL_CITIES = CITIES.slice(0, 6);
const MERCHANTS = ['Cafe Lumen', 'Rail Nord', 'Hotel Aster', 'Taxi Blue', 'Print Hub', 'Air Sable'];
const CATEGORIES = ['meals', 'travel', 'lodging', 'office'];

const exploration: ToolDef[] = [
  { name: 'search_docs', description: 'Search the help centre', exploration: true, parameters: S.obj({ q: S.str() }), run: (p) => ({ hits: rngFor('docs', p).int(0, 9) }) },
  { name: 'get_profile', description: 'The current user profile', exploration: true, parameters: S.obj({}), run: () => ({ profile: { locale: 'en', tier: 'standard' } }) },
];

const tripTools: ToolDef[] = [
  {
    name: 'search_flights', errors: ['DATE_FORMAT', 'ENUM_CASE'],
    description: 'Search flights between two airports on a date',
    parameters: S.obj({ origin: S.str(), destination: S.str(), date: S.date(), cabin: S.oneOf(CABINS) }),
    run(p) {
      requireIsoDate(p.date, 'date');
      requireEnum(p.cabin, 'cabin', CABINS);
      const r = rngFor('flights', p);
      return { flights: [0, 1, 2].map(() => ({ id: prefixedId('FL', 4)(r), price: r.int(90, 900) + 0.5, departs: `${String(p.date)}T${String(r.int(6, 22)).padStart(2, '0')}:15:00Z` })), currency: 'EUR' };
    },
  },
  {
    name: 'book_flight', errors: ['ENUM_CASE'],
    description: 'Book a seat on a flight for a passenger',
    parameters: S.obj({ flightId: S.str(), passenger: S.obj({ email: S.email() }), cabin: S.oneOf(CABINS) }),
    run(p) {
      requireEnum(p.cabin, 'cabin', CABINS);
      return { booking: { id: prefixedId('BK', 6)(rngFor('booking', p)), status: 'confirmed', flightId: p.flightId } };
    },
  },
  {
    name: 'send_itinerary',
    description: 'Email an itinerary for a booking or reservation',
    parameters: S.obj({ bookingId: S.str(), email: S.email() }),
    run: (p) => ({ sent: true, messageId: prefixedId('MSG', 8)(rngFor('msg', p)) }),
  },
  {
    name: 'search_hotels', errors: ['DATE_FORMAT'],
    description: 'Search hotels in a city',
    parameters: S.obj({ city: S.str(), checkIn: S.date(), nights: S.int() }),
    run(p) {
      requireIsoDate(p.checkIn, 'checkIn');
      const r = rngFor('hotels', p);
      return { hotels: [0, 1, 2].map(() => ({ hotelId: prefixedId('HT', 5)(r), name: `Hotel ${r.alnum(3)}`, rate: r.int(60, 400) + 0.25 })), city: p.city };
    },
  },
  {
    name: 'book_hotel', errors: ['DATE_FORMAT'],
    description: 'Reserve a room',
    parameters: S.obj({ hotelId: S.str(), guest: S.obj({ email: S.email() }), checkIn: S.date(), nights: S.int() }),
    run(p) {
      requireIsoDate(p.checkIn, 'checkIn');
      return { reservation: { id: prefixedId('RS', 6)(rngFor('reservation', p)), status: 'held' } };
    },
  },
  {
    name: 'get_weather', errors: ['DATE_FORMAT'],
    description: 'Weather forecast for a city and date',
    parameters: S.obj({ city: S.str(), date: S.date() }),
    run(p) {
      requireIsoDate(p.date, 'date');
      const r = rngFor('weather', p);
      return { forecast: { summary: r.pick(['sunny', 'cloudy', 'rain', 'snow']), highC: r.int(-5, 35), lowC: r.int(-15, 20) } };
    },
  },
  {
    name: 'convert_currency',
    description: 'Convert an amount between currencies',
    parameters: S.obj({ amount: S.num(), from: S.oneOf(CURRENCIES), to: S.oneOf(CURRENCIES) }),
    run(p) {
      requireEnum(p.to, 'to', CURRENCIES);
      return { converted: { amount: Math.round(Number(p.amount) * (rngFor('fx', p.to).int(80, 160) / 100) * 100) / 100, currency: p.to } };
    },
  },
  {
    name: 'get_booking',
    description: 'Look up a booking',
    parameters: S.obj({ bookingId: S.str() }),
    run(p) {
      requireExisting(p.bookingId, 'booking');
      const r = rngFor('get_booking', p);
      return { booking: { id: p.bookingId, email: email(r), paymentId: prefixedId('PAY', 8)(r), status: 'confirmed' } };
    },
  },
  {
    name: 'cancel_booking',
    description: 'Cancel a booking',
    parameters: S.obj({ bookingId: S.str(), reason: S.str() }),
    run: (p) => ({ cancellation: { id: prefixedId('CN', 6)(rngFor('cancel', p)), status: 'cancelled' } }),
  },
  {
    name: 'refund_payment', errors: ['RATE_LIMIT'],
    description: 'Refund a payment',
    parameters: S.obj({ paymentId: S.str() }),
    run(p, world) {
      rateLimit(world, 'refund_payment', p);
      return { refund: { id: prefixedId('RF', 6)(rngFor('refund', p)), status: 'pending' } };
    },
  },
  ...exploration,
];

/** The trip planner: flights, hotels, weather and cancellations. */
export const tripPlanner: AgentDef = {
  tenantId: 'acme-travel',
  agentId: 'trip-planner',
  description: 'Books trips for travellers',
  model: 'gpt-4o-mini',
  sendsTaskIds: false,
  tools: tripTools,
  context: [],
  workflows: [
    {
      id: 'travel.book_flight',
      description: 'Search a flight, book the first result, email the itinerary',
      queries: [
        'Book a {cabin} flight from {origin} to {destination} on {date} for {email}',
        'I need to fly {origin} to {destination} on {date} in {cabin}, please send the booking to {email}',
        'Get {email} a {cabin} seat from {origin} to {destination} departing {date}',
      ],
      slots: [
        enumSlot('origin', PORTS.slice(0, 3)),
        enumSlot('destination', PORTS.slice(3)),
        slot('date', S.date(), isoDate),
        enumSlot('cabin', CABINS),
        slot('email', S.email(), email),
      ],
      steps: [
        { tool: 'search_flights', params: { origin: { kind: 'query', slot: 'origin' }, destination: { kind: 'query', slot: 'destination' }, date: { kind: 'query', slot: 'date' }, cabin: { kind: 'query', slot: 'cabin' } } },
        { tool: 'book_flight', params: { flightId: { kind: 'step', step: 0, path: 'flights.0.id' }, 'passenger.email': { kind: 'query', slot: 'email' }, cabin: { kind: 'query', slot: 'cabin' } } },
        { tool: 'send_itinerary', params: { bookingId: { kind: 'step', step: 1, path: 'booking.id' }, email: { kind: 'query', slot: 'email' } } },
      ],
      mistakes: [
        { kind: 'DATE_FORMAT', step: 0, param: 'date' },
        { kind: 'ENUM_CASE', step: 1, param: 'cabin' },
      ],
    },
    {
      id: 'travel.book_hotel',
      description: 'Search hotels, reserve the first, email the reservation',
      queries: [
        'Find a hotel in {city} from {checkIn} for {nights} nights and book it for {email}',
        'Reserve a room in {city}, check-in {checkIn}, {nights} nights, confirmation to {email}',
        'I need {nights} nights in {city} starting {checkIn}; book the best hotel and email {email}',
      ],
      slots: [enumSlot('city', HOTEL_CITIES), slot('checkIn', S.date(), isoDate), slot('nights', S.int(), (r) => r.int(2, 7)), slot('email', S.email(), email)],
      steps: [
        { tool: 'search_hotels', params: { city: { kind: 'query', slot: 'city' }, checkIn: { kind: 'query', slot: 'checkIn' }, nights: { kind: 'query', slot: 'nights' } } },
        { tool: 'book_hotel', params: { hotelId: { kind: 'step', step: 0, path: 'hotels.0.hotelId' }, 'guest.email': { kind: 'query', slot: 'email' }, checkIn: { kind: 'query', slot: 'checkIn' }, nights: { kind: 'query', slot: 'nights' } } },
        { tool: 'send_itinerary', params: { bookingId: { kind: 'step', step: 1, path: 'reservation.id' }, email: { kind: 'query', slot: 'email' } } },
      ],
      mistakes: [{ kind: 'DATE_FORMAT', step: 0, param: 'checkIn' }],
    },
    {
      id: 'travel.weather_hotel',
      description: 'Check the weather, find a one-night hotel, convert its rate',
      queries: [
        "What's the weather in {city} on {date}? Also find a one-night hotel there and show the price in {currency}",
        'Weather for {city} on {date}, plus a hotel for that night priced in {currency}',
      ],
      slots: [enumSlot('city', HOTEL_CITIES), slot('date', S.date(), isoDate), enumSlot('currency', ['EUR', 'GBP', 'JPY'])],
      steps: [
        { tool: 'get_weather', params: { city: { kind: 'query', slot: 'city' }, date: { kind: 'query', slot: 'date' } } },
        { tool: 'search_hotels', params: { city: { kind: 'query', slot: 'city' }, checkIn: { kind: 'query', slot: 'date' }, nights: { kind: 'constant', value: 1 } } },
        { tool: 'convert_currency', params: { amount: { kind: 'step', step: 1, path: 'hotels.0.rate' }, from: { kind: 'constant', value: 'USD' }, to: { kind: 'query', slot: 'currency' } } },
      ],
      mistakes: [{ kind: 'DATE_FORMAT', step: 0, param: 'date' }],
    },
    {
      id: 'travel.cancel_booking',
      description: 'Cancel a booking, refund its payment, confirm by email',
      queries: ['Cancel booking {bookingId} and refund it', 'Please cancel {bookingId}, the customer wants their money back', 'Refund and cancel reservation {bookingId}'],
      slots: [idSlot('bookingId', 'BK', 6)],
      steps: [
        { tool: 'get_booking', params: { bookingId: { kind: 'query', slot: 'bookingId' } } },
        { tool: 'cancel_booking', params: { bookingId: { kind: 'query', slot: 'bookingId' }, reason: { kind: 'constant', value: 'customer_request' } } },
        { tool: 'refund_payment', params: { paymentId: { kind: 'step', step: 0, path: 'booking.paymentId' } } },
        { tool: 'send_itinerary', params: { bookingId: { kind: 'query', slot: 'bookingId' }, email: { kind: 'step', step: 0, path: 'booking.email' } } },
      ],
      failVia: 'bookingId',
    },
  ],
};

const expenseTools: ToolDef[] = [
  {
    name: 'get_receipt',
    description: 'Read a scanned receipt',
    parameters: S.obj({ receiptId: S.str() }),
    run(p) {
      requireExisting(p.receiptId, 'receipt');
      const r = rngFor('receipt', p);
      return { receipt: { id: p.receiptId, amount: r.int(5, 900) + 0.4, currency: 'EUR', merchant: r.pick(MERCHANTS), date: isoDate(r) } };
    },
  },
  {
    name: 'categorize_expense',
    description: 'Suggest an expense category',
    parameters: S.obj({ merchant: S.str(), amount: S.num() }),
    run: (p) => ({ category: rngFor('category', p.merchant).pick(CATEGORIES), confidence: 0.9 }),
  },
  {
    name: 'submit_expense',
    description: 'Submit an expense for approval',
    parameters: S.obj({ receiptId: S.str(), category: S.str(), amount: S.num(), approver: S.email() }),
    run: (p) => ({ expense: { id: prefixedId('EX', 6)(rngFor('expense', p)), status: 'submitted' } }),
  },
  {
    name: 'list_expenses',
    description: "List an employee's expenses of a month",
    parameters: S.obj({ employeeId: S.str(), month: S.str() }),
    run(p) {
      const r = rngFor('list', p);
      return { expenses: [0, 1, 2].map(() => ({ id: prefixedId('EX', 6)(r), amount: r.int(5, 500) })), total: r.int(100, 2000) };
    },
  },
  {
    name: 'export_report',
    description: 'Export an expense report',
    parameters: S.obj({ employeeId: S.str(), month: S.str(), format: S.oneOf(['pdf', 'csv']) }),
    run(p) {
      requireEnum(p.format, 'format', ['pdf', 'csv']);
      const id = rngFor('report', p).alnum(10);
      return { report: { id, url: `https://reports.example.test/r/${id}.${String(p.format)}` } };
    },
  },
  { name: 'email_report', description: 'Email a report link', parameters: S.obj({ to: S.email(), url: S.str() }), run: () => ({ sent: true }) },
  {
    name: 'check_policy', errors: ['RATE_LIMIT'],
    description: 'Check an expense against the travel policy',
    parameters: S.obj({ amount: S.num(), merchant: S.str() }),
    run(p, world) {
      rateLimit(world, 'check_policy', p);
      const r = rngFor('policy', p);
      return { verdict: { ok: false, code: `POL-${r.digits(3)}` } };
    },
  },
  {
    name: 'flag_expense',
    description: 'Flag an expense for review',
    parameters: S.obj({ receiptId: S.str(), code: S.str() }),
    run: (p) => ({ flag: { id: prefixedId('FG', 6)(rngFor('flag', p)) } }),
  },
  ...exploration,
];

/** The expense assistant: receipts, reports and policy checks. */
export const expenseBot: AgentDef = {
  tenantId: 'acme-travel',
  agentId: 'expense-bot',
  description: 'Files and checks expenses',
  model: 'gpt-4o-mini',
  sendsTaskIds: false,
  tools: expenseTools,
  context: [slot('approver', S.email(), email)],
  workflows: [
    {
      id: 'expense.submit',
      description: 'Read a receipt, categorise it, submit it to the manager',
      queries: ['Submit receipt {receiptId} as an expense', 'File an expense for receipt {receiptId} please', 'Can you expense {receiptId}?'],
      slots: [idSlot('receiptId', 'RC', 6)],
      steps: [
        { tool: 'get_receipt', params: { receiptId: { kind: 'query', slot: 'receiptId' } } },
        { tool: 'categorize_expense', params: { merchant: { kind: 'step', step: 0, path: 'receipt.merchant' }, amount: { kind: 'step', step: 0, path: 'receipt.amount' } } },
        {
          tool: 'submit_expense',
          params: {
            receiptId: { kind: 'query', slot: 'receiptId' },
            category: { kind: 'step', step: 1, path: 'category' },
            amount: { kind: 'step', step: 0, path: 'receipt.amount' },
            approver: { kind: 'context', slot: 'approver' },
          },
        },
      ],
      failVia: 'receiptId',
    },
    {
      id: 'expense.monthly_report',
      description: "Export an employee's monthly report and email it",
      queries: ['Send the expense report of {employeeId} for {month} to {to}', 'Export {month} expenses for employee {employeeId} and mail them to {to}'],
      slots: [idSlot('employeeId', 'E', 4), slot('month', S.id('^\\d{4}-\\d{2}$'), (r) => isoDate(r).slice(0, 7)), slot('to', S.email(), email)],
      steps: [
        { tool: 'list_expenses', params: { employeeId: { kind: 'query', slot: 'employeeId' }, month: { kind: 'query', slot: 'month' } } },
        { tool: 'export_report', params: { employeeId: { kind: 'query', slot: 'employeeId' }, month: { kind: 'query', slot: 'month' }, format: { kind: 'constant', value: 'pdf' } } },
        { tool: 'email_report', params: { to: { kind: 'query', slot: 'to' }, url: { kind: 'step', step: 1, path: 'report.url' } } },
      ],
    },
    {
      id: 'expense.policy_check',
      description: 'Check a receipt against the policy and flag it',
      queries: ['Does receipt {receiptId} break the travel policy? Flag it if so', 'Policy check on {receiptId}'],
      slots: [idSlot('receiptId', 'RC', 6)],
      steps: [
        { tool: 'get_receipt', params: { receiptId: { kind: 'query', slot: 'receiptId' } } },
        { tool: 'check_policy', params: { amount: { kind: 'step', step: 0, path: 'receipt.amount' }, merchant: { kind: 'step', step: 0, path: 'receipt.merchant' } } },
        { tool: 'flag_expense', params: { receiptId: { kind: 'query', slot: 'receiptId' }, code: { kind: 'step', step: 1, path: 'verdict.code' } } },
      ],
      failVia: 'receiptId',
    },
  ],
};

