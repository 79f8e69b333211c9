//! The vocabulary of generated data: names, places, companies and the sentences messages are
//! made of, in the demo's world (Acme sells point-of-sale hardware and software to shops).

/// First names.
pub(super) const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Aiko", "Lukas", "Chinedu", "Sofia", "Liam", "Priya", "Mateo", "Emma",
    "Noah", "Olivia", "Hiroshi", "Amara", "Lucas", "Isabella", "Mohammed", "Chloe", "Ethan",
    "Fatima", "Daniel", "Mia", "Arjun", "Zoe", "Oliver", "Ava", "Kwame", "Elena", "Samuel",
    "Leila", "Henry", "Grace", "Diego", "Hannah", "Yusuf", "Nora", "Jonas", "Ingrid", "Tomas",
    "Camille", "Ravi", "Aisha", "Pedro", "Freya", "Kenji", "Lucia", "Omar", "Sara", "Felix",
    "Naomi", "Victor", "Julia", "Adebayo", "Clara", "Mei", "Anton", "Rosa", "Malik", "Eva", "Hugo",
];

/// Last names.
pub(super) const LAST_NAMES: &[&str] = &[
    "Gonzalez",
    "Smith",
    "Tanaka",
    "Becker",
    "Okafor",
    "Rossi",
    "Murphy",
    "Patel",
    "Silva",
    "Dubois",
    "Johnson",
    "Nguyen",
    "Kowalski",
    "Mensah",
    "Fernandez",
    "Larsen",
    "Haddad",
    "Martin",
    "Brown",
    "Khan",
    "Garcia",
    "Schmidt",
    "Yamamoto",
    "Adeyemi",
    "Novak",
    "Costa",
    "Walker",
    "Ivanova",
    "Lopez",
    "Andersen",
    "Chen",
    "Mueller",
    "Santos",
    "Moreau",
    "Ali",
    "Wilson",
    "Kim",
    "Jansen",
    "Ortiz",
    "Nakamura",
    "Hughes",
    "Romano",
    "Eriksson",
    "Torres",
    "Bianchi",
    "Sato",
    "Clarke",
    "Popescu",
    "Reyes",
    "Lindqvist",
];

/// Companies customers work for.
pub(super) const COMPANIES: &[&str] = &[
    "Brightlane Café",
    "Northwind Books",
    "Harbor & Pine",
    "Blue Fern Florist",
    "Copperpot Bakery",
    "Lumen Optics",
    "Tidewater Surf Shop",
    "Golden Spoon Diner",
    "Urban Sprout Grocers",
    "Maple Street Hardware",
    "Velvet Room Salon",
    "Quickfix Repairs",
    "Summit Outdoor Gear",
    "Little Lantern Toys",
    "Saffron Kitchen",
    "Ironclad Fitness",
    "Moonlight Cinema",
    "Petal & Thorn",
    "Cobalt Coffee Roasters",
    "Riverside Pharmacy",
    "Oak & Ember Pizzeria",
    "Silverline Boutique",
    "Greenleaf Market",
    "Pixel Print Shop",
    "Harvest Table",
    "Seaside Ice Cream",
    "Redbrick Records",
    "Wildflower Yoga",
    "Crescent Pet Supplies",
    "Starling Shoes",
];

/// Email domains of customers without a company address.
pub(super) const MAIL_DOMAINS: &[&str] = &[
    "gmail.example",
    "outlook.example",
    "yahoo.example",
    "proton.example",
    "icloud.example",
];

/// `(city, country, country code, phone prefix)`.
pub(super) const PLACES: &[(&str, &str, &str, &str)] = &[
    ("Madrid", "Spain", "ES", "+346"),
    ("London", "United Kingdom", "GB", "+447"),
    ("Osaka", "Japan", "JP", "+8190"),
    ("Berlin", "Germany", "DE", "+49151"),
    ("Lagos", "Nigeria", "NG", "+234803"),
    ("Milan", "Italy", "IT", "+393"),
    ("Dublin", "Ireland", "IE", "+35387"),
    ("Austin", "United States", "US", "+1512"),
    ("Toronto", "Canada", "CA", "+1416"),
    ("São Paulo", "Brazil", "BR", "+55119"),
    ("Lyon", "France", "FR", "+336"),
    ("Mumbai", "India", "IN", "+9198"),
    ("Sydney", "Australia", "AU", "+614"),
    ("Amsterdam", "Netherlands", "NL", "+316"),
    ("Stockholm", "Sweden", "SE", "+4670"),
    ("Mexico City", "Mexico", "MX", "+5255"),
    ("Accra", "Ghana", "GH", "+23324"),
    ("Warsaw", "Poland", "PL", "+4850"),
];

/// What a contact's description says about them.
pub(super) const ROLES: &[&str] = &[
    "Owner",
    "Store manager",
    "Operations lead",
    "Head of finance",
    "Shift supervisor",
    "IT contact",
    "Co-founder",
    "Purchasing manager",
];

/// The `plan` custom attribute's values, most common first.
pub(super) const PLANS: &[&str] = &["free", "pro", "enterprise"];

/// Teams the generator makes when the account lacks them: `(name, description)`.
pub(super) const TEAMS: &[(&str, &str)] = &[
    ("billing", "Invoices, refunds and plan changes"),
    ("hardware", "Terminals, printers and scanners"),
    ("onboarding", "New stores getting set up"),
    (
        "technical support",
        "Software, integrations and sync issues",
    ),
    ("escalations", "Outages and unhappy customers"),
];

/// Inboxes the generator makes when the account lacks them (API channel, like the demo's).
pub(super) const INBOXES: &[&str] = &["Website chat", "Mobile app", "Partner API"];

/// Labels the generator makes when the account lacks them: `(title, description, colour)`.
pub(super) const LABELS: &[(&str, &str, &str)] = &[
    ("billing", "Invoices, charges and refunds", "#1F93FF"),
    ("bug", "Something does not work as it should", "#E0245E"),
    ("feature-request", "Asks for something new", "#8E44AD"),
    ("hardware", "Terminals, printers, scanners", "#F39C12"),
    ("refund", "Money back", "#16A085"),
    ("onboarding", "Getting a new store running", "#27AE60"),
    ("vip", "Large accounts", "#D4AC0D"),
    ("shipping", "Deliveries and returns of devices", "#2C3E50"),
    (
        "integration",
        "Accounting and e-commerce connections",
        "#3498DB",
    ),
    ("outage", "Service disruption", "#C0392B"),
    ("account-access", "Logins, passwords, two-factor", "#7F8C8D"),
    ("cancellation", "Wants to leave", "#E67E22"),
    ("payments", "Card readers and payouts", "#1ABC9C"),
    ("feedback", "Praise and complaints", "#9B59B6"),
    ("urgent-followup", "Promised a call back", "#FF5733"),
];

/// Subjects a conversation is about; they fill the `{}` of the sentences.
pub(super) const TOPICS: &[&str] = &[
    "the card reader",
    "my last invoice",
    "the receipt printer",
    "the barcode scanner",
    "the inventory sync",
    "our second register",
    "the refund for order",
    "the cash drawer",
    "the loyalty program",
    "the QuickBooks integration",
    "the tip settings",
    "the kitchen display",
    "two-factor login",
    "the monthly payout",
    "the new terminal",
    "the tax report",
];

/// What customers write: greetings, problems and follow-ups.
pub(super) const CUSTOMER: &[&str] = &[
    "Hi, we have a problem with {}.",
    "Hello! Quick question about {}.",
    "Since this morning {} stopped working and we have a queue at the counter.",
    "Can you check {}? Something looks wrong.",
    "I tried restarting it twice, no luck.",
    "It shows error code E-1042 on the screen.",
    "We are a small shop and this is costing us sales.",
    "Thanks, that worked!",
    "Still not fixed, unfortunately.",
    "Is there any update on this?",
    "Could someone call me back this afternoon?",
    "Ok, got it.",
    "I attached a photo of the screen earlier, did you get it?",
    "We updated the app yesterday, maybe that is related.",
    "My colleague says it happens only on the second register.",
    "Perfect, thank you so much for the quick help.",
    "Do I need to send the device back?",
    "The charge appears twice on our statement.",
    "How long does shipping take for a replacement?",
    "We open at 8, so before that would be ideal.",
];

/// What agents write.
pub(super) const AGENT: &[&str] = &[
    "Thanks for reaching out! I'm looking into {} now.",
    "Sorry about the trouble with {}.",
    "Could you tell me the serial number on the back of the device?",
    "I've checked your account and everything looks fine on our side.",
    "Please try unplugging it for 30 seconds and plugging it back in.",
    "I've escalated this to our hardware team; they usually reply within a day.",
    "A replacement is on its way, you should get a tracking link by email.",
    "I've refunded the duplicate charge; it takes 3-5 business days to show.",
    "Happy to help! Is there anything else I can do for you?",
    "Can you confirm which version of the app you are running (Settings > About)?",
    "Great to hear it's working again.",
    "I'll keep this conversation open until you confirm.",
    "Our engineers found the cause and a fix is being rolled out today.",
    "You can find the steps in our help center under Devices > Pairing.",
    "I've updated the setting for you, please restart the app.",
];

/// Private notes between agents.
pub(super) const NOTES: &[&str] = &[
    "Checked the logs: the device has been offline since yesterday 18:00.",
    "Customer is on the enterprise plan, handle with care.",
    "Looks like the known firmware bug, linking to the engineering ticket.",
    "Refund approved by finance.",
    "Second time this month, consider a replacement.",
    "@team can someone with hardware access take a look?",
];

/// The browsers of `additional_attributes.browser`: `(device, browser, version, platform, platform version)`.
pub(super) const BROWSERS: &[(&str, &str, &str, &str, &str)] = &[
    ("Unknown", "Chrome", "124.0.0.0", "Windows", "10"),
    ("Unknown", "Safari", "17.4", "macOS", "14.4"),
    ("iPhone", "Mobile Safari", "17.4", "iOS", "17.4"),
    (
        "Samsung SM-S911B",
        "Chrome Mobile",
        "124.0.6367",
        "Android",
        "14",
    ),
    ("Unknown", "Firefox", "125.0", "Linux", ""),
    ("Unknown", "Edge", "124.0.2478", "Windows", "11"),
];

/// Pages a conversation was started from (`additional_attributes.referer`).
pub(super) const REFERERS: &[&str] = &[
    "https://acme.example/help",
    "https://acme.example/pricing",
    "https://acme.example/account/billing",
    "https://acme.example/devices",
    "https://acme.example/",
];

/// Why a conversation got its priority (`custom_attributes.priority_reason`).
pub(super) const PRIORITY_REASONS: &[&str] = &[
    "Store cannot take payments",
    "Large account",
    "Second contact this week",
    "Opening day",
];
