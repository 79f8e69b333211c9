//! The demo account's content: its people, labels, attributes, contacts and conversations.
//!
//! Acme sells point-of-sale software (Free, Pro and Enterprise plans) and the hardware that goes
//! with it (card readers, receipt printers, scanners), so its support inbox sees orders, refunds,
//! invoices, sign-in trouble, bugs and feature requests. Everything here is fixed: every demo
//! looks the same, only the times move with the clock.

use oxidesk_domain::{AttributeDisplayType, AttributeModel, Priority, Role};

use Line::{In, Note, Reply};
use Person::{Alex, Priya, Sam};

/// The demo account's name, also how a second run recognises it.
pub(super) const ACCOUNT_NAME: &str = "Acme Support";
/// The API inbox's name.
pub(super) const INBOX_NAME: &str = "Website API";

/// A person who signs in to the demo account.
pub(super) struct DemoUser {
    /// Their role.
    pub role: Role,
    /// Full name.
    pub name: &'static str,
    /// Sign-in email.
    pub email: &'static str,
    /// Sign-in password, printed after seeding.
    pub password: &'static str,
}

/// The demo users, in the order of [`Person`].
pub(super) const USERS: [DemoUser; 3] = [
    DemoUser {
        role: Role::Administrator,
        name: "Alex Morgan",
        email: "admin@acme.example",
        password: "oxidesk-admin",
    },
    DemoUser {
        role: Role::Agent,
        name: "Sam Lee",
        email: "sam@acme.example",
        password: "oxidesk-agent",
    },
    DemoUser {
        role: Role::Agent,
        name: "Priya Patel",
        email: "priya@acme.example",
        password: "oxidesk-agent",
    },
];

/// One of the demo users (an index into [`USERS`]).
#[derive(Debug, Clone, Copy)]
pub(super) enum Person {
    /// Alex Morgan, the administrator.
    Alex = 0,
    /// Sam Lee, an agent.
    Sam = 1,
    /// Priya Patel, an agent.
    Priya = 2,
}

/// One of the demo teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TeamKey {
    /// Invoices, plans, refunds and hardware orders.
    Billing,
    /// Bugs, devices and integrations.
    Technical,
}

/// A team: name, description, members.
pub(super) const TEAMS: [(TeamKey, &str, &str, &[Person]); 2] = [
    (
        TeamKey::Billing,
        "Billing",
        "Invoices, plan changes, refunds and hardware orders",
        &[Person::Sam, Person::Priya],
    ),
    (
        TeamKey::Technical,
        "Technical",
        "Bugs, card readers, printers and integrations",
        &[Person::Alex, Person::Sam],
    ),
];

/// Canned responses: short code, content (agents type `/` and the code in the composer).
pub(super) const CANNED: [(&str, &str); 4] = [
    (
        "thanks",
        "Thanks for getting in touch! I'm looking into this now and will get back to you shortly.",
    ),
    (
        "money_back",
        "The money is on its way back to you: it usually shows on your statement within 5 to 10 business days.",
    ),
    (
        "logs",
        "Could you send us the app's log file? In the app: Help > Export logs, then attach the file here.",
    ),
    (
        "closing",
        "I'll mark this as resolved for now. Just reply here if anything else comes up.",
    ),
];

/// Labels: title, description, colour.
pub(super) const LABELS: [(&str, &str, &str); 6] = [
    ("billing", "Invoices, charges and plan changes", "#e5484d"),
    ("bug", "Something in the product is broken", "#f76808"),
    (
        "feature-request",
        "The customer asks for something we do not do yet",
        "#6e56cf",
    ),
    ("vip", "Enterprise customer: answer first", "#ffc53d"),
    ("onboarding", "Getting a new customer set up", "#30a46c"),
    ("refund", "Money going back to the customer", "#0090ff"),
];

/// A custom attribute definition.
pub(super) struct DemoAttribute {
    /// The key.
    pub key: &'static str,
    /// The label.
    pub display_name: &'static str,
    /// How it is entered.
    pub display_type: AttributeDisplayType,
    /// Contacts or conversations.
    pub model: AttributeModel,
    /// What it means.
    pub description: &'static str,
    /// The choices of a list.
    pub values: &'static [&'static str],
}

/// The custom attribute definitions.
pub(super) const ATTRIBUTES: [DemoAttribute; 5] = [
    DemoAttribute {
        key: "plan",
        display_name: "Plan",
        display_type: AttributeDisplayType::List,
        model: AttributeModel::Contact,
        description: "The customer's subscription plan",
        values: &["free", "pro", "enterprise"],
    },
    DemoAttribute {
        key: "signup_date",
        display_name: "Signup date",
        display_type: AttributeDisplayType::Date,
        model: AttributeModel::Contact,
        description: "When the customer's company signed up",
        values: &[],
    },
    DemoAttribute {
        key: "lifetime_value",
        display_name: "Lifetime value",
        display_type: AttributeDisplayType::Currency,
        model: AttributeModel::Contact,
        description: "Everything the customer has paid us, in US dollars",
        values: &[],
    },
    DemoAttribute {
        key: "order_id",
        display_name: "Order ID",
        display_type: AttributeDisplayType::Text,
        model: AttributeModel::Conversation,
        description: "The hardware order the conversation is about",
        values: &[],
    },
    DemoAttribute {
        key: "priority_reason",
        display_name: "Priority reason",
        display_type: AttributeDisplayType::Text,
        model: AttributeModel::Conversation,
        description: "Why the conversation was given its priority",
        values: &[],
    },
];

/// A customer.
pub(super) struct DemoContact {
    /// Full name.
    pub name: &'static str,
    /// Email.
    pub email: &'static str,
    /// Phone number, E.164.
    pub phone: &'static str,
    /// Id in Acme's billing system.
    pub identifier: &'static str,
    /// Their company.
    pub company: &'static str,
    /// A line about them.
    pub description: &'static str,
    /// City.
    pub city: &'static str,
    /// Country.
    pub country: &'static str,
    /// ISO country code.
    pub country_code: &'static str,
    /// Social profile user names: github, twitter, facebook, linkedin (empty when none).
    pub social: [&'static str; 4],
    /// `plan` attribute.
    pub plan: &'static str,
    /// `signup_date` attribute.
    pub signup_date: &'static str,
    /// `lifetime_value` attribute.
    pub lifetime_value: f64,
}

/// The contacts; conversations refer to them by index.
pub(super) const CONTACTS: [DemoContact; 8] = [
    DemoContact {
        name: "Maria Gonzalez",
        email: "maria.gonzalez@brightlane.io",
        phone: "+34612345678",
        identifier: "cus_1001",
        company: "Brightlane Café",
        description: "Owner of a two-register café in Madrid",
        city: "Madrid",
        country: "Spain",
        country_code: "ES",
        social: [
            "",
            "mariag_cafe",
            "brightlanecafe",
            "maria-gonzalez-brightlane",
        ],
        plan: "pro",
        signup_date: "2023-03-14",
        lifetime_value: 1176.0,
    },
    DemoContact {
        name: "James O'Connor",
        email: "james.oconnor@harbourfreight.co.uk",
        phone: "+447700900123",
        identifier: "cus_1002",
        company: "Harbour Freight Ltd",
        description: "Operations manager for three trade-counter depots",
        city: "Manchester",
        country: "United Kingdom",
        country_code: "GB",
        social: ["", "jamesoc", "", "james-oconnor-hf"],
        plan: "enterprise",
        signup_date: "2022-11-02",
        lifetime_value: 18450.0,
    },
    DemoContact {
        name: "Aiko Tanaka",
        email: "aiko@sakuradesign.jp",
        phone: "+819012345678",
        identifier: "cus_1003",
        company: "Sakura Design Studio",
        description: "Runs a stationery shop, opening an online store",
        city: "Osaka",
        country: "Japan",
        country_code: "JP",
        social: ["aikot", "sakura_design", "sakuradesignstudio", ""],
        plan: "free",
        signup_date: "2024-01-22",
        lifetime_value: 0.0,
    },
    DemoContact {
        name: "Lukas Schneider",
        email: "lukas.schneider@nordwerk.de",
        phone: "+4915123456789",
        identifier: "cus_1004",
        company: "Nordwerk GmbH",
        description: "IT lead of a hardware store chain in Berlin",
        city: "Berlin",
        country: "Germany",
        country_code: "DE",
        social: ["lschneider", "", "", "lukas-schneider-nordwerk"],
        plan: "pro",
        signup_date: "2023-06-05",
        lifetime_value: 2352.0,
    },
    DemoContact {
        name: "Fatima Bello",
        email: "fatima@greenleafgrocers.ng",
        phone: "+2348031234567",
        identifier: "cus_1005",
        company: "Greenleaf Grocers",
        description: "Owner of a neighbourhood grocery",
        city: "Lagos",
        country: "Nigeria",
        country_code: "NG",
        social: ["", "greenleaf_lagos", "greenleafgrocers", ""],
        plan: "free",
        signup_date: "2024-02-10",
        lifetime_value: 129.0,
    },
    DemoContact {
        name: "Chloé Martin",
        email: "chloe.martin@atelier-lumiere.fr",
        phone: "+33612345678",
        identifier: "cus_1006",
        company: "Atelier Lumière",
        description: "Founder of a lighting boutique, opening a second shop",
        city: "Lyon",
        country: "France",
        country_code: "FR",
        social: [
            "",
            "atelierlumiere",
            "atelierlumiere.lyon",
            "chloe-martin-lumiere",
        ],
        plan: "enterprise",
        signup_date: "2022-09-19",
        lifetime_value: 9870.5,
    },
    DemoContact {
        name: "Daniel Kim",
        email: "daniel.kim@pinecrestlabs.com",
        phone: "+14155550142",
        identifier: "cus_1007",
        company: "Pinecrest Labs",
        description: "Head of retail operations, 12 stores on the West Coast",
        city: "San Francisco",
        country: "United States",
        country_code: "US",
        social: ["dkim-pinecrest", "danielkim", "", "daniel-kim-pinecrest"],
        plan: "enterprise",
        signup_date: "2021-05-30",
        lifetime_value: 42310.0,
    },
    DemoContact {
        name: "Olivia Brown",
        email: "olivia@kookaburraoutdoor.com.au",
        phone: "+61412345678",
        identifier: "cus_1008",
        company: "Kookaburra Outdoor",
        description: "Manages a camping gear shop with casual staff",
        city: "Melbourne",
        country: "Australia",
        country_code: "AU",
        social: [
            "",
            "kookaburra_out",
            "kookaburraoutdoor",
            "olivia-brown-kookaburra",
        ],
        plan: "pro",
        signup_date: "2023-10-01",
        lifetime_value: 784.0,
    },
];

/// What the widget says about the customer's browser.
pub(super) struct Browser {
    /// `device_name`.
    pub device: &'static str,
    /// `browser_name`.
    pub browser: &'static str,
    /// `browser_version`.
    pub browser_version: &'static str,
    /// `platform_name`.
    pub platform: &'static str,
    /// `platform_version`.
    pub platform_version: &'static str,
}

const CHROME_MAC: Browser = Browser {
    device: "Macintosh",
    browser: "Chrome",
    browser_version: "124.0.6367.91",
    platform: "macOS",
    platform_version: "14.4",
};
const EDGE_WINDOWS: Browser = Browser {
    device: "Unknown",
    browser: "Microsoft Edge",
    browser_version: "123.0.2420.97",
    platform: "Windows",
    platform_version: "10",
};
const FIREFOX_WINDOWS: Browser = Browser {
    device: "Unknown",
    browser: "Firefox",
    browser_version: "125.0",
    platform: "Windows",
    platform_version: "10",
};
const SAFARI_IPHONE: Browser = Browser {
    device: "iPhone",
    browser: "Mobile Safari",
    browser_version: "17.4",
    platform: "iOS",
    platform_version: "17.4.1",
};
const CHROME_ANDROID: Browser = Browser {
    device: "Pixel 7",
    browser: "Chrome",
    browser_version: "124.0.6367.82",
    platform: "Android",
    platform_version: "14",
};

/// One message of a thread.
pub(super) enum Line {
    /// From the customer.
    In(&'static str),
    /// A reply from an agent.
    Reply(Person, &'static str),
    /// A private note by an agent.
    Note(Person, &'static str),
}

/// Where a conversation ends up once its thread is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Still open.
    Open,
    /// Resolved.
    Resolved,
    /// Waiting on the customer.
    Pending,
    /// Snoozed for this many days from now.
    Snoozed(i64),
}

/// A conversation with its thread.
pub(super) struct DemoConversation {
    /// Index into [`CONTACTS`].
    pub contact: usize,
    /// Its final status.
    pub outcome: Outcome,
    /// The agent in charge.
    pub assignee: Option<Person>,
    /// The team in charge.
    pub team: Option<TeamKey>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Label titles.
    pub labels: &'static [&'static str],
    /// `order_id` attribute.
    pub order_id: Option<&'static str>,
    /// `priority_reason` attribute.
    pub priority_reason: Option<&'static str>,
    /// The customer's browser, when they wrote through the website.
    pub browser: Option<&'static Browser>,
    /// The page they wrote from.
    pub referer: Option<&'static str>,
    /// The messages, oldest first.
    pub thread: &'static [Line],
}

const BASE: DemoConversation = DemoConversation {
    contact: 0,
    outcome: Outcome::Open,
    assignee: None,
    team: None,
    priority: None,
    labels: &[],
    order_id: None,
    priority_reason: None,
    browser: None,
    referer: None,
    thread: &[],
};

/// The conversations, oldest first: the first gets display id 1.
pub(super) const CONVERSATIONS: [DemoConversation; 25] = [
    DemoConversation {
        contact: 0,
        outcome: Outcome::Resolved,
        assignee: Some(Sam),
        team: Some(TeamKey::Billing),
        labels: &["billing", "refund"],
        thread: &[
            In(
                "Hi, I just noticed two charges of $49.00 on our card for the March Pro subscription. Can you check?",
            ),
            Reply(
                Sam,
                "Hi Maria, thanks for flagging this. I can see both charges: the second one came from an automatic retry after your bank timed out on the first. I've refunded the duplicate, it should be back on your card within 5-10 business days.",
            ),
            In("Perfect, thank you Sam!"),
            Reply(
                Sam,
                "You're welcome! Let us know if anything else looks off.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 2,
        outcome: Outcome::Resolved,
        assignee: Some(Priya),
        labels: &["onboarding"],
        thread: &[
            In(
                "Hello, I'm trying to import our product list from a spreadsheet but the import says \"column price not found\". The column is called \"Price (JPY)\".",
            ),
            Reply(
                Priya,
                "Hi Aiko! The importer expects the header to be exactly `price`. If you rename \"Price (JPY)\" to \"price\" it will pick it up; the currency comes from your store settings.",
            ),
            In("That worked, all 214 products are in. Thanks!"),
            Note(
                Priya,
                "Second customer this week tripped over the price header. Suggesting column mapping in the importer to the product team.",
            ),
            Reply(Priya, "Great to hear! Good luck with the launch."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 1,
        outcome: Outcome::Resolved,
        assignee: Some(Alex),
        team: Some(TeamKey::Technical),
        priority: Some(Priority::High),
        labels: &["bug", "vip"],
        priority_reason: Some("Receipts wrong at all three depots"),
        browser: Some(&EDGE_WINDOWS),
        referer: Some("https://acme.example/help/printers"),
        thread: &[
            In(
                "Since yesterday's update the receipt printers at all three depots print garbled characters instead of the £ sign.",
            ),
            Reply(
                Alex,
                "Hi James, sorry about that. Which printer model do you use, and is it connected over USB or the network?",
            ),
            In("Epson TM-T20III, over the network. Firmware 1.07."),
            Note(
                Alex,
                "Reproduced on the TM-T20III in the lab: 4.12 switched the printer code page to PC437. Filed ENG-2291.",
            ),
            Reply(
                Alex,
                "Thanks, we've reproduced it: the update changed the printer's code page. The fix is in version 4.12.1, which installs itself when you restart the app.",
            ),
            In("Restarted the tills, £ signs are back. Cheers."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 4,
        outcome: Outcome::Resolved,
        assignee: Some(Sam),
        labels: &["feature-request"],
        thread: &[
            In("Hi! Is there a way to export my daily sales to a CSV file for my accountant?"),
            Reply(
                Sam,
                "Hi Fatima! Yes: go to Reports > Sales, pick the dates and click Export > CSV. On the Free plan exports cover the last 30 days.",
            ),
            In(
                "Found it, thanks. It would be lovely if it could email the file to my accountant every month by itself.",
            ),
            Reply(
                Sam,
                "That's a great idea, I've passed it on to our product team as a feature request.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 7,
        outcome: Outcome::Resolved,
        assignee: Some(Priya),
        team: Some(TeamKey::Billing),
        labels: &["billing"],
        order_id: Some("ORD-10388"),
        thread: &[
            In("Hi team, our invoices need our ABN on them for tax purposes. Where do I add it?"),
            Reply(
                Priya,
                "Hi Olivia, you can add it under Settings > Billing > Tax ID. It will appear on every invoice from the next one, and I can regenerate last month's too if you like.",
            ),
            In("Yes please, could you regenerate the one for order ORD-10388?"),
            Reply(
                Priya,
                "Done! The updated invoice is under Settings > Billing > Invoices.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 3,
        outcome: Outcome::Resolved,
        assignee: Some(Sam),
        team: Some(TeamKey::Technical),
        labels: &["bug"],
        browser: Some(&FIREFOX_WINDOWS),
        referer: Some("https://acme.example/help/offline-mode"),
        thread: &[
            In(
                "Our tablet lost wifi for an hour this morning. Now 12 sales show \"sync failed\" and won't upload.",
            ),
            Reply(
                Sam,
                "Hallo Lukas, sorry about that. Could you open Settings > Diagnostics on the tablet and send us the sync ID shown at the top?",
            ),
            In("Sync ID: 7f3c-22a1-b9e0"),
            Note(
                Sam,
                "The queue was stuck on a sale of a product deleted while the tablet was offline (SKU NW-0042). Cleared it from the admin console.",
            ),
            Reply(
                Sam,
                "Thanks! One sale referred to a product that was deleted while the tablet was offline, which blocked the others. I've cleared it and all 12 sales are uploaded now.",
            ),
            In("Confirmed, they are all there. Danke!"),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 5,
        outcome: Outcome::Resolved,
        assignee: Some(Alex),
        priority: Some(Priority::Medium),
        labels: &["onboarding", "vip"],
        thread: &[
            In(
                "Bonjour, we are opening a second boutique in Paris next month. How do we add a location to our account?",
            ),
            Reply(
                Alex,
                "Bonjour Chloé, congratulations! On the Enterprise plan you add it from Settings > Locations > New location. Each location gets its own registers and stock.",
            ),
            In("And can our staff from Lyon also sign in at the Paris shop?"),
            Reply(
                Alex,
                "Yes: staff accounts belong to your organisation, so you just tick both locations on each staff member's profile.",
            ),
            In("Merci beaucoup, very clear."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 6,
        outcome: Outcome::Resolved,
        assignee: Some(Priya),
        team: Some(TeamKey::Billing),
        priority: Some(Priority::High),
        labels: &["billing", "refund", "vip"],
        order_id: Some("ORD-10502"),
        thread: &[
            In(
                "Hi, we sent back 5 of the 20 card readers from order ORD-10502. The courier confirmed delivery to your warehouse on Monday. When will the refund come through?",
            ),
            Reply(
                Priya,
                "Hi Daniel, thanks for the tracking details. The warehouse checked in all 5 readers this morning and I've refunded $345.00 to the card you paid with.",
            ),
            Note(
                Priya,
                "Refund approved by finance (FIN-118). The readers were unopened, so no restocking fee.",
            ),
            In("Great, thanks for the quick turnaround."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 0,
        outcome: Outcome::Pending,
        assignee: Some(Sam),
        team: Some(TeamKey::Technical),
        labels: &["bug"],
        browser: Some(&CHROME_MAC),
        referer: Some("https://acme.example/help/discounts"),
        thread: &[
            In(
                "The discount code SPRING10 isn't applied to anything in our \"Sale\" category. Is that intended?",
            ),
            Reply(
                Sam,
                "Hi Maria! By default codes don't stack with items already on sale. You can change that for each code: Marketing > Discounts > SPRING10 > \"Apply to discounted items\".",
            ),
            In("I don't see that option on my screen."),
            Reply(
                Sam,
                "Could you send us a screenshot of the code's settings page? The option is hidden when a code was created through the API.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 4,
        outcome: Outcome::Snoozed(3),
        assignee: Some(Priya),
        team: Some(TeamKey::Billing),
        labels: &["billing"],
        thread: &[
            In(
                "If I upgrade from Free to Pro in the middle of the month, do I pay for the full month?",
            ),
            Reply(
                Priya,
                "Hi Fatima! No, you only pay for the days left in this month, then the usual $49 from the 1st.",
            ),
            In("OK. I'll talk to my business partner and get back to you next week."),
            Reply(
                Priya,
                "Sounds good. I'll check in with you in a few days in case you have questions.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 1,
        outcome: Outcome::Open,
        assignee: Some(Alex),
        team: Some(TeamKey::Technical),
        priority: Some(Priority::Urgent),
        labels: &["bug", "vip"],
        priority_reason: Some("Card payments down at a depot"),
        browser: Some(&EDGE_WINDOWS),
        referer: Some("https://acme.example/status"),
        thread: &[
            In(
                "URGENT: card payments have been failing at our Salford depot since 8am. The reader shows \"Error 0x41\".",
            ),
            Reply(
                Alex,
                "James, we're on it. Error 0x41 means the reader cannot reach our payment gateway. Is the rest of the depot's internet working?",
            ),
            In("Yes, everything else is online. The other depots are fine."),
            Note(
                Alex,
                "Gateway logs show failed TLS handshakes from the Salford IP only. Looks like a firewall or proxy intercepting TLS.",
            ),
            Reply(
                Alex,
                "Thanks. Something on the Salford network seems to intercept secure connections. Do you use a proxy there, or was a firewall changed recently?",
            ),
            In("IT swapped the router on Friday. I'll ask them to call you."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 3,
        outcome: Outcome::Open,
        labels: &["feature-request"],
        thread: &[
            In(
                "Is it possible to show the VAT for 7% and 19% separately on receipts? Our tax advisor says we need it.",
            ),
            In("What we need is: Netto 7% / MwSt 7% / Netto 19% / MwSt 19%, then the total."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 7,
        outcome: Outcome::Pending,
        assignee: Some(Sam),
        labels: &["onboarding"],
        thread: &[
            In(
                "How do I set up PIN sign-in for our casual staff so they don't need email accounts?",
            ),
            Reply(
                Sam,
                "Hi Olivia! Go to Staff > Add staff member and choose \"PIN only\". They can clock in and take sales, but not see reports.",
            ),
            In("Done for two people, but for the third it says \"PIN already in use\"."),
            Reply(
                Sam,
                "PINs have to be unique within a location. Could you try another 4-digit PIN and tell me if it still fails?",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 5,
        outcome: Outcome::Open,
        assignee: Some(Priya),
        team: Some(TeamKey::Billing),
        labels: &["billing", "vip"],
        order_id: Some("ORD-10617"),
        thread: &[
            In(
                "The invoice for order ORD-10617 is addressed to our old office. Could you reissue it to 12 rue de la République, 69002 Lyon?",
            ),
            Reply(Priya, "Bonjour Chloé, of course, I'll reissue it today."),
            Note(
                Priya,
                "The billing address on the account is still the old one: updating it as well, so the next invoices are right.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 6,
        outcome: Outcome::Open,
        assignee: Some(Alex),
        team: Some(TeamKey::Technical),
        priority: Some(Priority::High),
        labels: &["bug", "vip"],
        priority_reason: Some("Wrong company name on invoices"),
        browser: Some(&CHROME_MAC),
        referer: Some("https://acme.example/account/billing"),
        thread: &[
            In(
                "Weird one: our company name on the billing page now shows up as code. I pasted this from the page: <script>alert('pinecrest')</script><img src=x onerror=alert(1)> Can you set it back to Pinecrest Labs?",
            ),
            Reply(
                Alex,
                "Hi Daniel, thanks for the heads-up. That text was saved as your company name, probably by someone testing a form. I've changed it back to \"Pinecrest Labs\" and the next invoice will be right.",
            ),
            Note(
                Alex,
                "Checked: the text is escaped in the app and on the PDF, nothing ran. Asked security to review the invoice renderer anyway.",
            ),
            In("Thanks! Can you also regenerate last month's PDF?"),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 0,
        outcome: Outcome::Snoozed(10),
        assignee: Some(Priya),
        labels: &["feature-request"],
        thread: &[
            In(
                "Our café is quite dark in the evening and the white register screen is blinding. Any plans for a dark mode?",
            ),
            Reply(
                Priya,
                "Hi Maria! Dark mode is planned for the next release, at the end of the month. I'll let you know as soon as it's out.",
            ),
            In("Amazing, thank you!"),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 2,
        outcome: Outcome::Open,
        browser: Some(&CHROME_ANDROID),
        referer: Some("https://acme.example/login"),
        thread: &[
            In(
                "I changed my phone and now the two-factor code from my authenticator app is not accepted. I can't sign in at all.",
            ),
            In("I have backup codes somewhere but I can't find them right now."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 4,
        outcome: Outcome::Open,
        assignee: Some(Sam),
        team: Some(TeamKey::Billing),
        priority: Some(Priority::Medium),
        labels: &["billing", "refund"],
        order_id: Some("ORD-10655"),
        thread: &[
            In(
                "The receipt printer from order ORD-10655 arrived with a cracked case and it won't switch on.",
            ),
            Reply(
                Sam,
                "Oh no, sorry Fatima! Could you send us a photo of the box and the printer? We'll send a replacement straight away.",
            ),
            In("I've just emailed the photos to support@acme.example."),
            Note(
                Sam,
                "Photos received, clearly damaged in transit. Claim opened with the courier; replacement ships today.",
            ),
            Reply(
                Sam,
                "Got them, thanks. A replacement is on its way and you'll get the tracking number by email today. No need to send the broken one back.",
            ),
            In("Thank you! Will it arrive before Saturday? That's our busiest day."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 1,
        outcome: Outcome::Pending,
        assignee: Some(Priya),
        priority: Some(Priority::Medium),
        labels: &["onboarding", "vip"],
        thread: &[
            In("We're hiring 15 seasonal staff for the depots. Do you offer a training session?"),
            Reply(
                Priya,
                "Hi James! Enterprise plans include two live training sessions a year. Would Tuesday or Thursday next week at 10:00 UK time work for you?",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 3,
        outcome: Outcome::Snoozed(4),
        assignee: Some(Sam),
        team: Some(TeamKey::Billing),
        labels: &["billing"],
        thread: &[
            In(
                "We'd like to switch to annual billing to get the discount. Can we do that now, or only at renewal?",
            ),
            Reply(
                Sam,
                "Hi Lukas, you can switch at any time and we'll credit the unused part of this month. Shall I switch you over now?",
            ),
            In("Let me confirm with our finance team first, they're back on Monday."),
            Reply(Sam, "No problem, I'll follow up on Monday."),
            Note(
                Sam,
                "Snoozed until Monday. Annual Pro for them is €470 after the 20% discount.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 7,
        outcome: Outcome::Open,
        team: Some(TeamKey::Technical),
        labels: &["bug"],
        browser: Some(&SAFARI_IPHONE),
        referer: Some("https://acme.example/help/scanners"),
        thread: &[
            In(
                "Our bluetooth barcode scanner stopped working on the iPad after the iOS update. It's paired but nothing appears when we scan.",
            ),
            In("It's the Acme S200 scanner, we bought it last year."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 5,
        outcome: Outcome::Resolved,
        assignee: Some(Sam),
        labels: &["feature-request", "vip"],
        thread: &[
            In("Do you support gift cards? Our customers keep asking for them for Christmas."),
            Reply(
                Sam,
                "Bonjour Chloé! Printed gift cards aren't supported yet, but on the Enterprise plan you can sell digital ones from Products > Gift cards.",
            ),
            In("We'd really like printed ones with a barcode. Can you put us down for that?"),
            Note(
                Sam,
                "Added them to the printed gift cards request (FR-77): 9 customers asking now.",
            ),
            Reply(
                Sam,
                "Absolutely, I've added your vote to the request and I'll update you when we have news.",
            ),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 6,
        outcome: Outcome::Snoozed(2),
        assignee: Some(Priya),
        team: Some(TeamKey::Billing),
        labels: &["billing", "vip"],
        order_id: Some("ORD-10702"),
        thread: &[
            In(
                "We're rolling out to 8 more stores. Can we get a quote for 40 card readers and 16 receipt printers?",
            ),
            Reply(
                Priya,
                "Hi Daniel, happy to help. For that volume we can take 12% off the list price. I'll send a formal quote as a PDF shortly.",
            ),
            In("Great. Our procurement team needs it by the end of next week."),
            Note(
                Priya,
                "Waiting on sales for the final printer pricing, promised by Thursday. Draft quote saved as ORD-10702.",
            ),
            Reply(Priya, "Noted, you'll have it well before then."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 0,
        outcome: Outcome::Open,
        labels: &["billing"],
        thread: &[
            In(
                "I'm trying to update the card on file but it keeps saying \"card declined\". The card works everywhere else.",
            ),
            In("I tried two different cards now, same error."),
        ],
        ..BASE
    },
    DemoConversation {
        contact: 2,
        outcome: Outcome::Open,
        assignee: Some(Priya),
        priority: Some(Priority::Low),
        labels: &["onboarding"],
        browser: Some(&SAFARI_IPHONE),
        referer: Some("https://acme.example/pricing"),
        thread: &[
            In(
                "Hi! Before we upgrade: does the Pro plan include several registers? We want to add a second iPad.",
            ),
            Reply(
                Priya,
                "Hi Aiko! Yes, Pro includes up to 5 registers per location, and both iPads share the same catalog.",
            ),
            In("Perfect. And can I try it before paying?"),
        ],
        ..BASE
    },
];
