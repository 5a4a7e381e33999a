/** Word lists the seeded data is drawn from. Plain data, no logic. */

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'James',
  'Isabella',
  'William',
  'Mia',
  'Benjamin',
  'Charlotte',
  'Lucas',
  'Amelia',
  'Henry',
  'Harper',
  'Alexander',
  'Evelyn',
  'Daniel',
  'Priya',
  'Wei',
  'Sofia',
  'Mateo',
  'Aisha',
  'Omar',
  'Yuki',
  'Hiroshi',
  'Fatima',
  'Diego',
  'Chloe',
  'Ethan',
  'Grace',
  'Jacob',
  'Zoe',
  'Samuel',
  'Nora',
  'David',
  'Lily',
  'Gabriel',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Patel',
  'Nguyen',
  'Kim',
  'Chen',
  'Cohen',
  'Levi',
  'Schmidt',
  'Rossi',
  'Dubois',
  'Tanaka',
] as const;

export const SALES_TITLES = [
  'Account Executive',
  'Senior Account Executive',
  'Enterprise Account Executive',
  'Sales Development Representative',
  'Business Development Representative',
  'Customer Success Manager',
  'Solutions Engineer',
  'Account Manager',
] as const;

export const MANAGER_TITLES = ['Sales Manager', 'Director of Sales', 'Customer Success Director'] as const;

export const CUSTOMER_COMPANIES = [
  { name: 'Acme Corp', domain: 'acme.example' },
  { name: 'Globex', domain: 'globex.example' },
  { name: 'Initech', domain: 'initech.example' },
  { name: 'Umbrella Health', domain: 'umbrella-health.example' },
  { name: 'Stark Logistics', domain: 'stark-logistics.example' },
  { name: 'Wayne Financial', domain: 'wayne-financial.example' },
  { name: 'Hooli', domain: 'hooli.example' },
  { name: 'Vandelay Industries', domain: 'vandelay.example' },
  { name: 'Soylent Foods', domain: 'soylent.example' },
  { name: 'Cyberdyne Systems', domain: 'cyberdyne.example' },
  { name: 'Tyrell Biotech', domain: 'tyrell.example' },
  { name: 'Wonka Confections', domain: 'wonka.example' },
] as const;

export const CUSTOMER_TITLES = [
  'VP of Sales',
  'Head of Revenue Operations',
  'CFO',
  'IT Director',
  'Procurement Manager',
  'CTO',
  'Director of Operations',
  'Sales Operations Analyst',
] as const;

export const CALL_KINDS = [
  'Discovery call',
  'Product demo',
  'Pricing discussion',
  'Technical deep dive',
  'Contract review',
  'Quarterly business review',
  'Onboarding kickoff',
  'Renewal check-in',
] as const;

export const CALL_SYSTEMS = ['Zoom', 'Google Meet', 'Microsoft Teams', 'WebEx', 'RingCentral'] as const;

export const TOPICS = [
  'Pricing',
  'Next Steps',
  'Competition',
  'Security',
  'Integrations',
  'Timeline',
  'Small Talk',
] as const;

export const TRACKERS = [
  { name: 'Competitors', phrases: ['Salesforce', 'Chorus', 'Clari'] },
  { name: 'Pricing', phrases: ['discount', 'price', 'budget'] },
  { name: 'Security', phrases: ['SOC 2', 'SSO', 'GDPR'] },
  { name: 'Next steps', phrases: ['follow up', 'send over', 'next week'] },
  { name: 'Objections', phrases: ['too expensive', 'not a priority', 'already have'] },
] as const;

export const SELLER_LINES = [
  'Thanks for making the time today.',
  'Could you walk me through how your team handles this today?',
  'Most of our customers see results within the first quarter.',
  'Let me share my screen and show you the dashboard.',
  'On pricing, we can discuss a discount for a multi-year commitment.',
  'We are SOC 2 Type II certified and support SSO.',
  'I will send over the proposal and we can follow up next week.',
  'Who else should be involved in the decision?',
] as const;

export const BUYER_LINES = [
  'Sure, happy to be here.',
  'Right now we track everything in spreadsheets, which is painful.',
  'Our budget for this is set for the next quarter.',
  'We are also looking at Salesforce and Clari.',
  'Security review is mandatory for us, and GDPR matters.',
  'Honestly it looks a bit too expensive for us at the moment.',
  'That makes sense. Send it over and we will review it internally.',
  'Our CFO and IT director will need to sign off.',
] as const;

export const LANGUAGES = ['en-US', 'en-GB', 'es-ES', 'fr-FR', 'de-DE'] as const;
