"""Real-text twin operators: hand-checked tables of sentences and the twin each operator must write (None: the
operator must refuse, no garbage twin), the edit record, and the passage-level engine."""

from __future__ import annotations

import pytest

from sim.knowledge.realtext.edits import apply, nlp
from sim.knowledge.realtext.engine import CATEGORIES, OPERATORS, write_twins

NEGATION = [
    ('The firm must report the breach.', 'The firm must not report the breach.'),
    ('The customer may cancel the order.', 'The customer may not cancel the order.'),
    ('Payments are approved by the treasurer.', 'Payments are not approved by the treasurer.'),
    ('The bank pays interest monthly.', 'The bank does not pay interest monthly.'),
    ('The company has a compliance officer.', 'The company does not have a compliance officer.'),
    ('The client signed the contract.', 'The client did not sign the contract.'),
    ('Transfer the funds today.', 'Do not transfer the funds today.'),
    ('The firm must not accept cash.', 'The firm must accept cash.'),
    ('The bank does not charge a fee.', 'The bank charges a fee.'),
    ("You can't withdraw the deposit.", 'You can withdraw the deposit.'),
    ('The account is dormant.', 'The account is not dormant.'),
    ('The issuer never discloses its owners.', 'The issuer discloses its owners.'),
    ('The operator will also need a licence.', 'The operator will also not need a licence.'),
    ('The notice can only be published with consent.', None),
    ('There is no fee for transfers.', None),
    ('Quarterly reports.', None),
    ('To be completed by the agent.', None),
]

ROLE_SWAP = [
    ('Initech owes Globex the balance.', 'Globex owes Initech the balance.'),
    ('The buyer must pay the seller.', 'The seller must pay the buyer.'),
    ('The funds moved from the client account to the firm account.',
     'The funds moved from the firm account to the client account.'),
    ('The loan was granted by the lender to the borrower.', None),
    ('The payment was approved by the manager.', None),
    ('The auditor reviews the trustee.', 'The trustee reviews the auditor.'),
    ('Microsoft acquired LinkedIn in 2016.', 'LinkedIn acquired Microsoft in 2016.'),
    ('The bank informs the customers.', 'The customers inform the bank.'),
    ('It rains.', None),
    ('The report covers the period.', None),
    ('Apples and oranges are fruit.', None),
    ('The policy applies to all staff.', None),
]

DIRECTION = [
    ('The transfer must settle before noon.', 'The transfer must settle after noon.'),
    ('Funds are sent to the client.', 'Funds are sent from the client.'),
    ('The balance is above the limit.', 'The balance is below the limit.'),
    ('The firm buys the shares.', 'The firm sells the shares.'),
    ('Inbound payments are screened.', 'Outbound payments are screened.'),
    ('The account was credited yesterday.', 'The account was debited yesterday.'),
    ('Prices increased sharply.', 'Prices decreased sharply.'),
    ('Hold at least 3 months of reserves.', 'Hold at most 3 months of reserves.'),
    ('The sender must be verified.', 'The recipient must be verified.'),
    ('The seller notifies the buyer.', None),
    ('The rule applies to all firms.', None),
    ('Staff work from home.', None),
    ('The minimum deposit is 100 dollars.', 'The maximum deposit is 100 dollars.'),
]

BINDING = [
    ('An offshore parent controls the subsidiary.', 'A parent controls the offshore subsidiary.'),
    ('An offshore parent controls the local subsidiary.', None),
    ('The senior manager approves payments.', 'The manager approves senior payments.'),
    ('The firm keeps client money in a separate account.', 'The separate firm keeps client money in an account.'),
    ('The large banks lend to firms.', 'The banks lend to large firms.'),
    ('The new policy covers existing customers.', None),
    ('The independent auditor must check the report.', 'The auditor must check the independent report.'),
    ('A high-risk customer needs enhanced checks.', None),
    ('The Regulated Activity requires a licence.', None),
    ('Funds are held.', None),
    ('The same rules apply.', None),
    ('John Smith signed it.', None),
    ('Daily limits apply to retail customers.', None),
]

NUMERIC = [
    ('The fee is 25 dollars.', 'The fee is 50 dollars.'),
    ('Report within 30 days.', 'Report within 60 days.'),
    ('The stake exceeds 75%.', 'The stake exceeds 37%.'),
    ('The deadline is 1 March 2024.', 'The deadline is 2 March 2024.'),
    ('Transfers above EUR 10,000 need approval.', 'Transfers above EUR 20,000 need approval.'),
    ('See Rule 9.7.3 for details.', 'See Rule 9.7.4 for details.'),
    ('The rate is 2.5 percent.', 'The rate is 4.5 percent.'),
    ('Three directors must sign.', 'Six directors must sign.'),
    ('One of the directors signed.', None),
    ('The fund holds 1,250,000 shares.', 'The fund holds 2,500,000 shares.'),
    ('No number here.', None),
    ('The board meets twice a year.', 'The board meets three times a year.'),
]

# Twins the engine once wrote and its author read as wrong (results/examples/twins-sample.md): now refused.
READ_WRONG = {
    "role_swap": [
        "Except as otherwise provided in this Rule 2.3, a Captive Insurer must, at the end of March, June, "
        "September and December in each year, prepare a quarterly Regulatory Return in respect of the period.",
        "Subject to Rule 6.5.2, the annual Regulatory Return of every Insurer must be audited in accordance with "
        "International Standards on Auditing, by the Insurer's auditor.",
        "Ron Rivest Adi Shamir, and Len Adleman founded RSA as an independent company in 1982.",
        "In 1842, Samuel Booth, who could no longer afford his son's school fees, apprenticed the 13-year-old "
        "William Booth to a pawnbroker.",
        "The U.S entered WW1 for several reasons.",
        "White spruce is a medium-sized conifer found in northeastern United States and throughout Canada.",
        "Part B covers things like: 1 Clinical research.",
    ],
    "direction": [
        "In Guidance set out below Rule 11.2.1, the FSRA sets out an expectation that Mining Reporting Entities "
        "should be mindful.",
        "Firms should be able to demonstrate to the Regulator solid and reasonable grounds to be able to move from "
        "one approach to the other.",
        "For the purposes of the above requirement, an Authorised Person may take into account its position within "
        "its Group.",
        "A Fund Manager shall take reasonable steps to ensure that its officers, employees and agents comply with "
        "their obligations referred to above.",
        "Blaming individuals for having poor health or crediting them for good health is inappropriate.",
        "Latest Updates.",
    ],
    "binding": [
        "The Regulator may approve green principles or sustainability-linked principles where: a. the green "
        "principles or sustainability-linked principles are issued by a body.",
        "The FSRA may exercise its power to advise a Reporting Entity that it is a Mining Exploration Reporting "
        "Entity for the purposes of the Rules if, in the FSRA's opinion, the Reporting Entity undertakes mining "
        "activities.",
        "Firms must ensure that wire transfer systems such as SWIFT, are not misused as a means to break the money "
        "laundering audit trail.",
        "Positions may be netted if: (a) the specific instrument is used to hedge an Exposure in an Authorised "
        "Person's Trading Book; (b) the hedge position satisfies the Netting rules.",
        "Equipment benefit, the equipment is ordered by a physician to treat an injury or sickness (illness) and "
        "the. equipment is not otherwise excluded in the benefit document.",
        "It was my understanding that if a patient is medically clear and in a hospital bed, the 72 hours begins.",
        "A tracheostomy (tray-kee-OS-tuh-me) is an opening cut into the windpipe, or trachea.",
        "You can exchange these Thai Baht banknotes at your bank or in a bureaux de change-currency exchange "
        "office.",
        "Streptococcus pneumoniae, a type of bacteria, is the most common cause of pneumonia.",
    ],
    "numeric": ["3 Durable medical equipment (DME) Mental health 1 Inpatient.", "Features: 1. Mitochondrion.",
                "Meteorologists are watching the weather 24/7 across the entire U.S."],
    "negation": [
        "The information obtained to assess suitability is proportionate with the complexity and risk of the "
        "Specified Investments.",
        "The Prospectus issued or distributed in respect of a Private Credit Fund must include a prominent risk "
        "warning.",
        "Where the Confidential Information originates in another authority, the Regulator may only disclose "
        "that Confidential Information in accordance with section 199(2).",
        "Ferns have xylem (but not wood!)",
    ],
}
# A second read, of a fresh draw (seed 1) after the fixes above; also refused now.
READ_WRONG["role_swap"] += [
    "A Relevant Person should undertake CDD to guard against a range of money laundering risks.",
    "A Fund Manager must, in writing, require its auditor to conduct an audit of the Fund's financial statements.",
    "More than one Authorised Person may also register the same individual as its Compliance Officer.",
    "The steak is done to perfection from edge to edge.",
    "Their patterns can range from an even color to all kinds of color combinations and spots.",
    "When did the United States join WWI?",
]
READ_WRONG["direction"] += [
    "The premium must be apportioned over the duration of the contract by allocating to each reporting period a "
    "fraction of the premium.",
    "Most die within a few years because people don't look after them well.",
    "The terminal buttons are responsible for sending the signal on to other neurons.",
    "Generally, shop bought flea treatments are next to useless and should be avoided.",
    "calculating the lengths of the bases 35-16 = 9 (length of upper base) 45-0 =45 (length of lower base).",
    "Legionella is named after the first recorded outbreak at the 1976 American Legion convention.",
]
# A third read, of another fresh draw (seed 2) after the fixes above; also refused now.
READ_WRONG["role_swap"] += [
    "For the purposes of this guidance, “shadow director” means a Person in accordance with whose directions the "
    "directors are accustomed to act.",
    "Although Jamaica lies in the Caribbean 'hurricane belt', relatively few touch Jamaica.",
]
READ_WRONG["direction"] += [
    "The Authorised Person must have adequate financial resources to effectively manage its credit risk.",
    "An Authorised Person should consider whether it needs to assess the credit worthiness of suppliers.",
    "A person applying for a Financial Services Permission must pay to the Regulator an application fee.",
    "A firm which outsources any of its functions to service providers is not relieved of its obligations.",
    "A function is called monotonic if and only if it is either entirely increasing or decreasing.",
    "Urine tract infection could be a cause of lower right side abdominal pain.",
    "As the chart below shows, the average per-square-foot costs of basic stained concrete are low.",
]
READ_WRONG["negation"] += [
    'In the calculation of net assets in Rule 2.6.4(i), the reference to "assets held directly or indirectly" is '
    'designed to include assets.',
    "There's also information here on hurricanes, plus this month's outlook.",
]
# A fourth read, of the committed sheet's draw (seed 3); also refused now.
READ_WRONG["negation"] += [
    "An Authorised Person which is a small scale operation may not have a Governing Body which comprises "
    "independent members, nor be sufficiently large to form numerous committees.",
    "Woody angiosperms have also vessels.",
]
READ_WRONG["role_swap"] += [
    "A Relevant Person should adopt the RBA when complying with CDD requirements.",
    "This chapter applies to any Person who Offers Islamic Securities in the ADGM, unless the Offer is an Exempt "
    "Offer.",
    "The United States got involved in WW2 because the United States was attacked.",
]
READ_WRONG["binding"] += [
    "The Authorised Person will ensure that adequate liquidity is available at all times to support the branch.",
    "The exclusion is strictly necessary and proportionate to avoid giving rise to widespread contagion.",
    "The Regulator may require the Institution to enter into agreements which provide for financial support to be "
    "given by (i) the Institution's Parent.",
]
READ_WRONG["binding"] += [
    "This would enable the Recognised Body to ensure that such conflicts do not adversely affect the proper "
    "performance by the Recognised Body of its Regulatory Functions.",
    "The following documents must be submitted, in final form, to the Regulator by the Applicant.",
    "The FSRA expects that all communications made by an Authorised Person will be made in an appropriate manner.",
    "All entities that hold the personal data of an individual must protect personal data in compliance with the "
    "Regulations.",
    "Care needs to be taken to ensure that a disclosure does not suggest, without reasonable grounds, that "
    "quantities of Petroleum have been discovered.",
    "Due to their psychical nature, Spot Commodities may require specialist Custody arrangements, with the "
    "holding of Accepted Spot Commodities introducing additional operational risks.",
    "The majority of great earthquakes are megathrust earthquakes that occur at convergent plate boundaries.",
    "The other steak was cooked sous vide to the same temperature.",
    "In most eukaryotic genes, coding regions (exons) are interrupted by noncoding regions (introns).",
    "Falling at the end of the dry season and during the hot season in Thailand, the celebrations feature water "
    "throwing.",
    "Major credit cards are accepted by hotels, but hard cash is the preferred tender almost everywhere.",
    "While the other students are reading in small groups, she works with Pearl one on one.",
]

# A fifth read (the committed sheet's draw, seed 4): wrong twins that are now refused ...
READ_WRONG["negation"] += ["Generally, they do, but look closer."]
READ_WRONG["role_swap"] += ["TOP Governor Cuomo Announces Free Legionella Testing For Residents."]
READ_WRONG["direction"] += ["In order to gain such understanding, the Authorised Person should consider the "
                            "trading history of the Retail Client."]
READ_WRONG["binding"] += [
    "(d) adequate arrangements exist for co-operation between the Regulator and those responsible for the "
    "supervision of the Applicant.",
    "If your goldfish doesn't have enough space to grow to his full size, he will likely die before you notice.",
    "RNA splicing removes the introns from pre mRNA to produce the final set of instructions for the protein.",
    "Nalidixic acid was discovered by George Lesher and coworkers in a distillate during an attempt at chloroquine "
    "synthesis.",
    "Ventricular hypertrophy (VH) is thickening of the walls of a ventricle (lower chamber) of the heart.",
    "Like Roosevelt before him, Woodrow Wilson regarded himself as the personal representative of the people.fter a "
    "policy of neutrality at the outbreak of World War I, Wilson led America into war.",
]
# ... and wrong twins that are now written right: the article before an edit follows the new word, and a time
# keeps its format.
NUMERIC += [
    ("The documents must be submitted to the Regulator before 9:00am on the day.",
     "The documents must be submitted to the Regulator before 10:00am on the day."),
    ("If you wanted an 800 grit polish, there are not as many steps.",
     "If you wanted a 1600 grit polish, there are not as many steps."),
    ("A4.3.09 applies.", "A4.3.10 applies."),
]
DIRECTION += [("The nature of Virtual Assets may lead to an increased risk of Financial Crime.",
               "The nature of Virtual Assets may lead to a decreased risk of Financial Crime.")]

# A sixth read (seed 5): wrong twins now refused, or now written right.
READ_WRONG["role_swap"] += ["America fought Germany twice, first WWI and again in WWII."]
READ_WRONG["direction"] += [
    "The provisions apply to the principal amount of a liability by means of the Write Down or Conversion Power, "
    "where such liability is converted.",
    "The limit is not considered to be breached if Fund Property includes cash or other liquid assets held "
    "temporarily pending investment.",
    "Such exposures include investments in asset backed Securities.",
    "CDG fell somewhat lower down the list.",
    "A German U-boat had sunk the British passenger ship the Lusitania at great loss of life.",
]
READ_WRONG["binding"] += [
    "Authorised Persons should take account of the legal obligations that apply to them.",
    "However, some cases with less right ventricular hypertrophy than the maximal one had a more advanced "
    "associated left ventricular hypertrophy.",
]
READ_WRONG["numeric"] = [
    "Definition of anthropology. 1 : the science of human beings.",
    "Other possible suicide catalysts from this category include: 1 difficulty seeking help.",
    "1 made so as to conform to the shape or outline of something: contour sheets",
]
NUMERIC += [("Pneumonia gets worse during the first 4 to 6 days, and then improves.",
             "Pneumonia gets worse during the first 4 to 12 days, and then improves."),
            ("The Custodian must comply with Rules 17.1 – 17.6 at all times.",
             "The Custodian must comply with Rules 17.1 – 17.7 at all times.")]  # a cited rule, since seed 36:
# its last digits move by one (it was doubled as a decimal, 34.6)
ROLE_SWAP += [("On an application under subsection (1) the Court may require the person concerned to supply it "
               "with such accounts.", "On an application under subsection (1) the person may require the Court "
               "concerned to supply it with such accounts.")]

# A seventh read (seed 6): wrong twins now refused.
NEGATION += [("An Authorised Person may Provide Credit to a Retail Client only where the Retail Client is an "
              "existing client.", "An Authorised Person may Provide Credit to a Retail Client only where the Retail "
              "Client is not an existing client.")]
READ_WRONG["direction"] += [
    "The adviser must assist by attending before any meeting or hearing at which the compliance adviser is "
    "requested to appear.",
    "A person may, while meeting any requirements, carry on more than one Regulated Activity (including, without "
    "limitation, more than one Islamic Financial Business).",
    "Please find here below the cost of transfer from CDG to Paris city center.",
]
READ_WRONG["binding"] += [
    "Visceral feelings and gut instincts are literally emotional intuitions transferred up to your brain via the "
    "vagus nerve.",
    "Legionnaires' disease is a severe pneumonia.",
    "Some people may need to use ventilators long term or for the rest of their lives.",
    "Reserves are valued under policies in force, taking into account all prospective liabilities as determined "
    "by the policy conditions.",
]
READ_WRONG["numeric"] += ["1 1. Choose how you wish to operate your durable medical equipment business."]
NUMERIC += [("Fleas can survive in pupa stage for more than 1 year.",
             "Fleas can survive in pupa stage for more than 2 years.")]
NUMERIC += [("Most fancy goldfish varieties grow up to 6 or 7 inches long.",
             "Most fancy goldfish varieties grow up to 6 or 14 inches long.")]

# An eighth read (seed 7): wrong twins now refused. Binding still errs on adjective + noun compounds the parse
# does not mark ("amino acids", "high school", "swear words"); the passage's repeated terms are caught.
NEGATION += [("These Islamic Finance Rules set out the specific instances where additional Rules are required.",
              "These Islamic Finance Rules do not set out the specific instances where additional Rules are "
              "required.")]
READ_WRONG["negation"] += ["The Rule set out the specific instances where additional Rules are required."]
READ_WRONG["direction"] += [
    "The 56-year-old has made millions from selling on the clothes and shoes which thousands of us donate.",
    "It depends on whether one or both of the activities in b) and c) above in relation to co-investments are "
    "included in its FSP.",
]
READ_WRONG["binding"] += [
    "The Regulator expects that customers rated high risk for money laundering should be reviewed more frequently.",
    "The left ventricle pumps blood to the body. Conditions that increase the work the left ventricle has to do can "
    "lead to thickening of the muscle.",
]
READ_WRONG["numeric"] += ["2. xylem vessel are hollow from inside.3. does not have cross walls."]

# A ninth read (seed 8): wrong twins now refused.
READ_WRONG["negation"] += ["How are voluntary and involuntary Baker Act Admissions different?"]
READ_WRONG["role_swap"] += ["The telegram proposed a military alliance between Germany and Mexico in the event of "
                            "the United States' entering World War I against Germany."]
READ_WRONG["direction"] += [
    "Boris Yeltsin formed the Commonwealth of Independent States. After 45 years, the Cold War was over.",
    "It has to be finished via a higher-heat method if browning and crispness are what you're after.",
]
READ_WRONG["numeric"] += [
    "The half-life of an oral dosage form is long.",
    "Answer by Shelbyray2014.",
    "The midsegment is parallel to the bases and equal to half the sum of their lengths.",
]

# A tenth read (seed 9): wrong twins now refused, or written right.
READ_WRONG["negation"] += [
    "MKT FORM 12-1 – Summary of Reserves and Resources.",
    "Although World War I began in 1914, the United States did not join the war until 1917.",
    "How does heart failure lead to dyspnea? Can left ventricular hypertrophy cause edema in legs and feet?",
]
READ_WRONG["role_swap"] += ["(h) the Fund Manager or, if Appointed, the Trustee requests the Regulator to withdraw "
                            "the registration of the Fund."]
READ_WRONG["direction"] += [
    "RSA Algorithm is christened after its joint inventors, Ron Rivset, Adi Shamir and Leonard Adleman.",
    "The Sangha World in Thailand consists of about 200,000 monks and 85,000 novices at most times of the year.",
    "The VC Manager will still be required to demonstrate the ability to meet its liabilities as they fall due.",
]
READ_WRONG["binding"] += [
    "The whole reason to sous vide is to completely nail your protein's temp down to the decimal point.",
    "Those who had committed suicide generally had been deployed for fewer days in a row than other study "
    "participants.",
]
READ_WRONG["numeric"] += ["The Oath Keepers and Three Percenters promote the idea that the government is plotting."]
NUMERIC += [
    ("The average temperature in Jamaica is between 80 °F and 90 °F.",
     "The average temperature in Jamaica is between 80 °F and 100 °F."),
    ("An ADN is a degree obtained after two to three years of school.",
     "An ADN is a degree obtained after two to six years of school."),
    ("Fondue was made famous by the French in the 1960's.", "Fondue was made famous by the French in the 1970's."),
    ("The Financial Institution shall, within thirty (30) days, notify the Authority.",
     "The Financial Institution shall, within sixty (60) days, notify the Authority."),
]

# An eleventh read (seed 10, held out: read before these fixes): wrong twins now refused, or written right.
READ_WRONG["negation"] += ["Regulatory treatment of tokens deemed to be Securities.",
                           "properly documented; and (iv) updated at appropriate intervals."]
READ_WRONG["binding"] += ["The female fleas lay at night while attached to the bird."]
READ_WRONG["negation"] += ["How much do stained concrete floors cost?"]  # seen in the verifier's real-text groups
NEGATION += [
    ("An Authorised Person must: (a) regularly monitor Exposures; (b) ensure that the Governing Body is informed.",
     "An Authorised Person must not: (a) regularly monitor Exposures; (b) ensure that the Governing Body is "
     "informed."),
    ("The disclosure must not: (1) be made in a durable medium.", "The disclosure must: (1) be made in a durable "
     "medium."),
    ("He did not receive any money.", None),
]
DIRECTION += [("If you bought your fish from a pet store, it is likely to be small.",
               "If you sold your fish to a pet store, it is likely to be small.")]
NUMERIC += [
    ("Stained concrete cost can range from $3.00 to $5.00 per square foot.",
     "Stained concrete cost can range from $3.00 to $10.00 per square foot."),
    ("The Issuer must comply with Rules 4.15.2 or Rule 4.15.3.", "The Issuer must comply with Rules 4.15.2 or Rule "
     "4.15.4."),
]

# A twelfth read (seed 11, held out: read before these fixes): wrong twins now refused, or written right.
READ_WRONG["direction"] += [
    "There is excluded any activity carried on by a supplier where custody over the assets in question is provided.",
    "A Fund Administrator must not hold or control monies or assets belonging to third parties.",
]
READ_WRONG["binding"] += ["The double cheeseburger tastes more like beef."]
READ_WRONG["numeric"] += [
    "Chemically, famciclovir is known as 2-[2-(2-amino-9H-purin-9-yl)ethyl]-1,3-propanediol diacetate.",
    "Hypertension sets the stage for hypertrophy once a person's blood pressure exceeds the normal level.",
    "Exons are spliced together once introns are removed.",
]
NUMERIC += [
    ("The figurative sense vanished after 1640.", "The figurative sense vanished after 1641."),
    ("He released more than half of the state's patients.",
     "He released more than a quarter of the state's patients."),
]

# A thirteenth read (seed 13, held out: read before these fixes): wrong twins now refused, or written right.
READ_WRONG["negation"] += ["Here are 10 curious facts about those pesky fleas."]
READ_WRONG["direction"] += [
    "More than one Authorised Person may also register the same individual as its Compliance Officer.",
    "People who speak more than one language report that they always curse in their native tongue.",
    "Subduction causes melting deep below Earth's surface, and creates pools of magma.",
    "The Credit RWA of an Authorised Person is the sum of its risk weighted assets (RWA) for all its Exposures.",
    "The firm must (e) return any monies or assets received from the customer.",
]
READ_WRONG["binding"] += [
    "People who speak more than one language say that they can say swear words in a second language.",
]
READ_WRONG["numeric"] += [
    "The Fund must publish half yearly accounts.",
    "IEEE 802.11 working group standards like 802.11h and 802.11j are extensions of Wi-Fi technology.",
    "The ISO 9001 standard was revised.",
]
NEGATION += [("It would not take a year, it would maybe take a month.",
              "It would not take a year, it would maybe not take a month.")]
NUMERIC += [("The full hurricane season is June 1st to November 30th each year.",
             "The full hurricane season is June 2nd to November 30th each year."),
            ("Transfers above AED 500 need approval.", "Transfers above AED 1000 need approval.")]
# The seed-14/15 coverage work: a modal the parse did not attach to the main verb still takes the negation; "no
# later than" is a bound, not a negation; "any" in a coordinated clause does not keep a `not`.
NEGATION += [
    ("An Authorised Person must, pursuant to Rule 6.8.2(c), make a record of the instruction.",
     "An Authorised Person must not, pursuant to Rule 6.8.2(c), make a record of the instruction."),
    ("A Stabilisation Manager must not during the Stabilisation Window enter into a transaction with his Agents.",
     "A Stabilisation Manager must during the Stabilisation Window enter into a transaction with his Agents."),
    ("Compliance: An Authorised Person must ensure that the Compliance Officer has access to relevant records.",
     "Compliance: An Authorised Person must not ensure that the Compliance Officer has access to relevant records."),
    ("The Payment Service Provider must provide a refund, and in any event no later than the end of the day.",
     "The Payment Service Provider must not provide a refund, and in any event no later than the end of the day."),
    ("This Guidance is not an exhaustive source of policy, and the FSRA may impose other conditions to address any "
     "risks.", "This Guidance is an exhaustive source of policy, and the FSRA may impose other conditions to address "
     "any risks."),
    ("If a firm must file a return, the Regulator may review it.",
     "If a firm must file a return, the Regulator may not review it."),
    ("The older version is no longer compatible with the new version.", None),
]
# The seed-14 read (held out; 152 of 165 right, direction 32 of 40): its wrong twins, refused since.
READ_WRONG["direction"] += [
    "An Authorised Person in Category 3B, 3C or 4 must notify the Regulator immediately and confirm in writing if "
    "its Capital Resources fall below 120% of its Capital Requirement.",
    "A Payment Service Provider must ensure that appropriate means are available at all times to enable a Payment "
    "Service User to notify the Payment Service Provider of the loss, theft, misappropriation or unauthorised use "
    "of the Payment Instrument.",
    "An assessment of operational and security risks must be undertaken by the Third Party Provider relating to the "
    "Third Party Services it provides, at least annually or more frequently if requested by the Regulator, and "
    "provided to the Regulator on request.",
    "Thereafter, annual accounting periods cover the period between each subsequent financial year end.",
    "The Fund Manager must obtain the Regulator's prior consent before implementing the change.",
    "Lower Right Back Pain and Your Kidneys. Lower right back pain is likely the result of a pull or tear to tissue "
    "in the lumbar region, but more serious conditions like kidney stones and kidney infection should not be ruled "
    "out.",
    "But to be effective, they must be started as soon as possible after the rash appears.",
    "You can put a maximum of only one 1 long goldfish in a one-gallon fish bowl, and it usually will not do well.",
]
READ_WRONG["negation"] += ["Not love, but purely from her body."]
READ_WRONG["binding"] += [
    "There must be evidence that the person: possibly has a mental illness (as defined in the Baker Act)."]
NUMERIC += [
    ("The weather ranges from mid-70s to the high 80s all year-round.",
     "The weather ranges from mid-80s to the high 80s all year-round."),
    ("Prices peaked in the mid-90s.", "Prices peaked in the mid-80s."),
    ("The fee is USD 500 (about AED 1,835) a year.", None),
    ("The rule applies to firms with 10 staff (see Rule 4).", "The rule applies to firms with 20 staff (see Rule 4)."),
    ("The risk assessment required by Rule \u200e\u200e6.1.1 feeds the review under Rule \u200e6.1.2.",
     "The risk assessment required by Rule \u200e\u200e6.1.1 feeds the review under Rule \u200e6.1.3."),
]

# The seed-15 read (held out; 162 of 168): its wrong twins, refused or written right since.
READ_WRONG["direction"] += [
    "Prepaid rent and prepaid communication charges are deducted from Capital Resources as illiquid assets.",
    "Notwithstanding the requirement in (2), should a Fund's first accounting period end within less than 6 months, "
    "the Fund Manager may notify the Regulator that it has chosen to extend the first accounting period.",
]
NEGATION += [("Rule 57. These rules govern the procedure for obtaining a declaratory judgment.", None)]
NUMERIC += [
    ("A Custodian must meet the requirements outlined under paragraphs 55 -61 of this Guidance.",
     "A Custodian must meet the requirements outlined under paragraphs 55 -62 of this Guidance."),
    ("Humidity is relatively high year-round, ranging from 63% to 73% in Kingston.", None),
    ("The eggs need a temperature of about 70 degrees and 70 to 85 percent humidity.",
     "The eggs need a temperature of about 80 degrees and 70 to 85 percent humidity."),
    ("The requirements outlined in paragraphs 33 to 42 should be formalised.",
     "The requirements outlined in paragraphs 33 to 84 should be formalised."),
]

# The seed-16 read (held out; 164 of 169): its wrong twins, refused since.
READ_WRONG["direction"] += [
    "Under the Sale of Business Tool, the Regulator may exercise the Transfer Power more than once in order to make "
    "supplemental transfers."]
READ_WRONG["binding"] += [
    "Where settlement does not occur on the due date, an Authorised Person faces Market Risk.",
    "A must transfer to B without undue delay all Customer Due Diligence information in its possession.",
    "Only 3 percent of colonial British subjects took up arms against the King during the revolutionary war.",
]
READ_WRONG["numeric"] += ["3 - tRNA has amino acids covalently attached for production of proteins."]
NUMERIC += [("3 - 5 days are needed for the eggs to hatch.", "3 - 10 days are needed for the eggs to hatch.")]

# The seed-17 read (held out; 169 of 172): its wrong twins, refused since.
READ_WRONG["binding"] += [
    "If an Authorised Person intends to transfer personal data to a recipient, it must notify the Client.",
    "Travelling to the Caribbean at this time of the year, you'll want to keep a close eye on the weather.",
]
NUMERIC += [("If a patient is in a hospital bed, the 72 hours begins. If the 72 hours ends, the patient is released.",
             None),
            ("The hold lasts 72 hours and the review takes 5 days.",
             "The hold lasts 144 hours and the review takes 5 days.")]

# The seed-18 read (held out; 157 of 166): its wrong twins, refused since.
READ_WRONG["binding"] += [
    "The active ingredient in FAMVIR tablets is famciclovir, an orally administered prodrug.",
    "If you are trying to avoid the rainy season in winter, then Ocho Rios is just for you.",
    "In this mode gas is delivered into the airways and lungs under positive pressure, producing positive airway "
    "pressure during inspiration.",
    "The reference is designed to include assets held by direct legal ownership, by beneficial ownership, or by "
    "control.",
    "The Regulator may impose sanctions such as issuing the person with a private warning.",
]
READ_WRONG["direction"] += ["Insurers must document the selection of maximum probable loss factors."]
READ_WRONG["numeric"] += [
    "Bluetooth is a wireless technology that followed a different development path than the 802.11 family.",
    "Fungi have ribosomes of the 80S type.",
]
NEGATION += [("The most distinctive cells found in xylem are the tracheary elements, that is tracheids and vessel "
              "elements.", None)]

# WordNet's adjective-noun terms are kept whole (small talk, black market), beside the operator's own list.
READ_WRONG["binding"] += ["Regulators watch the black market in a city.",
                          "The nurse gives the small talk to a patient."]

# The seed-19 read (held out; 171 of 178): its wrong twins, refused or written right since.
READ_WRONG["direction"] += [
    "Patches to all systems should be performed as soon as safely feasible after such updates have been released.",
    "The Unified Team was the name taken by the old Soviet Union team in 1992, after the USSR broke up the previous "
    "year.",
    "It was upgraded to a hurricane on Oct. 24 when its maximum sustained winds reached 74 mph.",
    "As RN,BSN's gain experience they will make more money promoting within the hospitals.",
]
READ_WRONG["binding"] += ["Passive margin. A passive margin is the transition between oceanic and continental "
                          "lithosphere.",
                          "In the 1960s, ecological anthropology first appeared as a response to cultural ecology."]
NUMERIC += [("An Authorised Person must use a 99th percentile, one tailed confidence interval.",
             "An Authorised Person must use a 49th percentile, one tailed confidence interval.")]

# A thirteenth read (seed 12, held out: read before these fixes): wrong twins now refused.
READ_WRONG["negation"] += [
    "The Direction may, in particular— (a) specify the time for compliance with the Direction; (b) require the rules "
    "of the Recognised Clearing House or Remote Clearing House to be amended; and (c) override such rules.",
    "How big your goldfish will grow is determined by the animal's genetics, not by the size of his environment.",
]
READ_WRONG["role_swap"] += ["On an application under subsection (1) the Court may require the Person Concerned to "
                            "supply it with such accounts or other information as it may require."]
READ_WRONG["direction"] += [
    "Watch out: attempts to avoid scalding burn hazards by lowering the maintenance temperature of the water heater "
    "itself convey a new hazard.",
    "It is expected that a Virtual Asset Custodian seeking to migrate to becoming a DSF will be required to meet a "
    "significant number of new requirements.",
    "Those activities are not restricted to co-investments in assets in which a Venture Capital Fund managed by the "
    "Authorised Person has invested or will invest.",
    "The firm should consider safeguards for access to, and use of, the Authorised Person's assets and records.",
]
READ_WRONG["binding"] += [
    "The social determinants of health (SDH) are the conditions in which people are born, grow, work, live, and age.",
    "The pain may be referred or felt as pain in the right shoulder.",
    "An Authorised Person may classify as a Professional Client an individual who has a joint account with an "
    "individual assessed as meeting the requirements.",
]
READ_WRONG["numeric"] += ["And, a function is known as decreasing if y-value decreases when x is increases and "
                          "denoted as if x 1 2 $\\Rightarrow$ f(x 1 2)."]

# The seed-20 read (held out; 154 of 167): its wrong twins, refused or written right since.
NEGATION += [("The Listing Authority does not generally expect a Reporting Entity to Disclose information early.",
              "The Listing Authority generally expects a Reporting Entity to Disclose information early.")]
READ_WRONG["negation"] += ["legend drug; Legendre; Legendre sign; Legendre, Gaston J. Legg; Legg, Arthur T. "
                           "Legg-Calve-Perthes disease; leggings"]
READ_WRONG["direction"] += [
    "In addition, the chairman should discuss the governance and strategy of the Reporting Entity, at least with its "
    "major Shareholders.",
    "They reflect the types of Inside Information that the Listing Authority would not expect to be Disclosed, at "
    "least while such Inside Information remains confidential.",
    "The currency in Thailand is called the 'Thai Baht' (pronounced 'bought' or 'bot') 17 people found this useful.",
]
READ_WRONG["binding"] += [
    "The FinTech Proposal can contribute to the development of ADGM as a financial centre.",
    "There are reasonable grounds to conclude that the records will be capable of reconciliation within a reasonable "
    "period.",
    "The blue band at the middle is twice the width of any of the four other stripes.",
    "A durable medical equipment business is a company that sells health care related items intended for use in the "
    "home for an extended period.",
]
READ_WRONG["numeric"] += [
    "2 medical : of or relating to the viscera.",
    "Toss the ribs to ensure they are completely coated in the 1 marinade.",
    "In Thailand the vast majority shower two, three or even four times a day.",
]
NUMERIC += [("Discounted concrete tiles can cost anywhere from $420 up to $530 for a 500-square-foot area.",
             "Discounted concrete tiles can cost anywhere from $420 up to $1060 for a 500-square-foot area.")]


# The seed-21 read (held out; 157 of 163): its wrong twins, refused since.
READ_WRONG["negation"] += ["visceral adjective (EMOTIONAL) \u00e2\u0080\u00ba 1  literary based on deep feeling and "
                           "emotional reactions rather than on reason or thought: \u00e2\u0080\u00ba 2  specialized "
                           "relating to the large organs inside the body, including the heart, stomach, lungs, and "
                           "intestines."]
READ_WRONG["direction"] += ["The Allies were at a loss for how to respond to the U-boat threat."]
READ_WRONG["binding"] += [
    "There is often a desperate need for flea control after a family has returned from a long vacation.",
    "As you probably know the theory of plate tectonics posits the outer layer of the Earth consist of plates which "
    "move relative to each other driven by convection in the Mantle.",
    "An active continental margin refers to the submerged edge of a continent overriding an oceanic lithosphere at a "
    "convergent plate boundary by opposition with a passive continental margin.",
]
NUMERIC += [("Estimates will vary, but generally expect to pay from around $50 to $75 per square metre.",
             "Estimates will vary, but generally expect to pay from around $50 to $150 per square metre.")]  # read
# wrong while `per` counted as per cent and $75 halved to $37; it doubles now


# The seed-22 read (held out; 159 of 167): its wrong twins, refused since.
READ_WRONG["binding"] += [
    "The mask is hooked up to a machine that delivers a continuous flow of air into the nose.",
    "With dysarthria, the person has ongoing difficulty expressing certain sounds or words.",
    "The female flea can lay 2,000 eggs in her lifetime.",
    "Typically installers put down a series of products including waterproofing metal lathe a concrete overlay and "
    "then the final finishing.",
]
READ_WRONG["numeric"] += [
    "NI 43-101 Reports . Where a requirement within NI 43-101 specifically requires a report to be lodged, a Mining "
    "Reporting Entity is to disclose such report.",
    "The axon of one cell does not necessarily touch the dendrites of another cell. This space between the two cells "
    "is called the synapse.",
    "10 styrofoam used a lot for radiant heat floors those are the basics of what s included.",
    "visceral (comparative more visceral, superlative most visceral) ( 1 anatomy) Of or relating to the viscera.",
]


# The seed-23 read (held out; 160 of 164): its wrong twins, refused since.
READ_WRONG["role_swap"] += [
    "If a Relevant Person acquires another business, either in whole or in substantial part, the Regulator would "
    "permit the Relevant Person to rely on the CDD conducted by the business it is acquiring, but would expect the "
    "Relevant Person to have done the following."]
READ_WRONG["direction"] += ["Above 122\u00c2\u00b0F and up to 131\u00c2\u00b0F, Legionella bacteria survives, but will "
                            "not multiply."]
READ_WRONG["numeric"] += [
    "By that time, you will own the wheelchair outright.r you can call Medicare toll-free at 1-800-633-4227."]
ROLE_SWAP += [("The Regulator may require a Reporting Entity to: (1) appoint a compliance adviser; or (2) replace "
               "a compliance adviser already appointed.",
               "A Reporting Entity may require the Regulator to: (1) appoint a compliance adviser; or (2) replace "
               "a compliance adviser already appointed.")]
NUMERIC += [("Three of the 10 members voted against the plan.", "Six of the 10 members voted against the plan."),
            ("In the end, 11 of the 12 Soviet republics declare that they are forming the CIS.",
             "In the end, 11 of the 24 Soviet republics declare that they are forming the CIS.")]


# The seed-24 read (held out; 162 of 173): its wrong twins, refused since.
READ_WRONG["role_swap"] += ["Germany promised Mexico the land that America took from them earlier (like Texas and "
                            "Arizona) if they helped Germany win the war."]
READ_WRONG["direction"] += [
    "Where a Fund invests in real estate or infrastructure to facilitate their transition, it should select third "
    "party metrics to help measure the progress of those assets in achieving that sustainability objective.",
    "The Columbia River was given the name it bears today in May 1792, by American Captain Robert Gray, after his "
    "ship, the Columbia Rediviva.",
    "Meet Big Bob, the foot-long goldfish who keeps outgrowing his home (and is STILL getting larger) ' 1 Big Bob' "
    "was bought as an inch-long goldfish from Scarborough pet shop.",
]
READ_WRONG["binding"] += [
    "A mode of mechanical respiration in which all breaths are mandatory and are either patient or machine "
    "triggered, and machine cycled; a minimum breathing rate is set but the patient can trigger breaths at a faster "
    "pace.",
    "Keep your common goldfish in a pond, as they are supposed to grow to a size of almost 12 inch (30 cm).",
]
READ_WRONG["numeric"] += [
    "Xylem: There are two types of conducting cells in xylem, tracheids and vessel elements.",
    "It is of two types (protoxylem and metaxylem), both of which are made up mainly of vessels and tracheids.",
    "Xylem is consists of two types of cells known as tracheids and vessel elements.",
    "The RC4 encryption algorithm is used by standards such as IEEE 802.11 within WEP.",
]
ROLE_SWAP += [("The Regulator may, by written notice, require a Reporting Entity to appoint a compliance adviser to "
               "assist the Reporting Entity in meeting its obligations.",
               "A Reporting Entity may, by written notice, require the Regulator to appoint a compliance adviser to "
               "assist the Reporting Entity in meeting its obligations.")]


# The seed-25 read (held out; 161 of 171): its wrong twins, refused since.
READ_WRONG["negation"] += ["Production Targets \u2013 what can they be disclosed in relation to?"]
READ_WRONG["direction"] += [
    "Where a Recognised Clearing House has access to a central bank lines of credit or accounts, payment services, "
    "or securities services, it should use those services as far as practicable.",
    "A Person does not incur any liability under section 70(1) of the FSMR if the Person acquired the Securities "
    "with knowledge that the statement was false.",
    "The so-called sand-flea is nothing more than a common flea that is breeding outdoors in the soil.",
]
READ_WRONG["binding"] += ["Similarly, any real property held subject to an Islamic mortgage, where the lender has the "
                          "legal title to the property, may be counted as indirectly held property of a Client."]
READ_WRONG["numeric"] += [
    "IMPORTANCE OF CONTINUOUS DISCLOSURE Rules 7.2.1 and 7.2.2 Rules 7.2.1 and 7.2.2 apply to all Reporting Entities.",
    "A goldfish can grow up to 12 inches(30cm) plus.",
    "In these conditions, the eggs hatch in about 12 days. This 12-day window is one of the reasons why it can be "
    "hard to get rid of fleas.",
]
NUMERIC += [("The true suicide rate was actually several tenths of a percent to 1% or more higher than reported.",
             "The true suicide rate was actually several tenths of a percent to 2% or more higher than reported.")]


# The seed-26 read (held out; 152 of 161): its wrong twins, refused since but three (an unpunctuated list of three
# drugs, a list number run into the text, `merchant` parsed as a verb in a line-broken `Ameri-. can merchant ships`).
READ_WRONG["negation"] += ["What year did the United States join World War I"]
READ_WRONG["binding"] += [
    "Keep the live plants to a minimum; Shubunkins will uproot them.",
    "The continental margin is the zone of the ocean floor that separates the thin oceanic crust from thick "
    "continental crust.",
]
READ_WRONG["numeric"] += [
    "The sugar in DNA is 2-deoxyribose, which is a pentose (five-carbon) sugar.",
    "For residential concrete floors my $ 2 50 dollars per sq ft cost will remain consistent throughout the year.",
    "As a result of completing these activities, students will: 1 Understand why the United States entered the World "
    "War I. 2 Brainstorm what led to the German collapse on the front.",
]


# The seed-27 read (held out; 159 of 166): its wrong twins, refused since.
READ_WRONG["negation"] += [
    "Limitations on distributions by ADGM Captive Insurers in run-off\nNo Captive Insurer that is in run-off may make "
    "any distribution of profits or surplus however called or described, or return of capital, or any payment of "
    "management fees (other than fees payable under a contract notified to the Regulator in accordance with Rule "
    "\u200e10.3.3(2) without the written consent of the Regulator.",
    "Actually muay thai kickboxing is not known for speed at all, but actually the shear power that comes from each "
    "blow.",
]
READ_WRONG["numeric"] += [
    "There are two types of cells that make up the xylem: tracheids and vessel elements.",
    "Phloem vascular tissue contains parenchyma and has two types of cells that assist in the transport of food: "
    "sieve-tube members and sieve cells.",
    "You can choose to open a physical store, an e-commerce website that sells medical equipment online or a "
    "combination of the two.",
    "3  Arrival of an action potential at the synaptic knob opens Ca 2+ channels in the plasma membrane.",
    "This is a misleading notion.p vote 2 down vote.",
]

# The seed-28 read (held out; 156 of 164): its wrong twins, refused since but one (`Paris has two large international
# airports, Orly ... and Roissy-Charles de Gaulle`, where the parser reads `Orly` as an adverb and sees no list).
READ_WRONG["negation"] += [
    "(g)\tany other matter that the Relevant Person is expressly required to record under these Rules,\nfor at least "
    "six years from the date on which the notification or report was made, the business relationship ends or the "
    "Transaction is completed, whichever occurs last.",
    "A misunderstood statistic: 22 military veteran suicides a day.",
]
READ_WRONG["binding"] += ["The active margin is bounded by faults that generate earthquakes when there is movement "
                          "along them."]
READ_WRONG["numeric"] += [
    "The three year average should be calculated on the basis of the last three yearly observations at the end of "
    "the Authorised Person's financial year.",
    "The FSRA may require a Petroleum Reporting Entity to disclose the filed SEC Forms 10-K and 20-F, if these "
    "relevant forms have otherwise not been disclosed to the market.",
    "(iii)\tdetermining the risk weighting or capital charge appropriate to each contract, which will constitute the "
    "CRW for that contract in accordance with PRU Rules 4.10, 4.11 and 4.12;",
    "Scientists generally recognize five determinants of health of a population: 1  Biology and genetics.",
]
NUMERIC += [("In most U.S. states and Canada, the insurer generally has four main options at this point, to: 1  defend "
             "the insured unconditionally; 2  defend the insured under a reservation of rights; 3  seek a declaratory "
             "judgment that it has no duty to defend.", None)]  # found checking the fixes on seed 27's draw: once the
# count is refused, the next candidate was the lower-case item's number `3`

# The seed-29 read (held out; 156 of 163): its wrong twins, refused since (`it is likely that` now negated before
# `likely`).
READ_WRONG["direction"] += [
    "BBQ-style chops with a spicy rub and sweet sauce lend themselves very well to this type of treatment.",
    "America's primary enemy was Germany due to several of its actions designed to shift the war to its advantage.",
]
READ_WRONG["numeric"] += [
    "3 - tRNA has amino acids covalently attached for production of protein 4 - rRNA is a component of ribosomes "
    "(rRNA = ribosomal RNA) 5 - mRNA determines the amino acid sequence for a protein-I take it that's what this "
    "means.",
    "Generally speaking, there are four types of cerebral palsy, which are classified by location of brain damage, "
    "the type of movement impairment, and other symptoms the condition causes. These four main types of cerebral "
    "palsy are spastic, athetoid, ataxic and mixed.",
    "1) An LPS designated facility, private or County 2) Any designated facility in LA County only.",
    "The main types include:1  Spastic cerebral palsy.2  Athetoid cerebral palsy.",  # found checking the fixes on
    # seed 29's draw: a list marker glued to its colon
    "Revenue code ICD-10 CM code Date of birth",
]
PURCHASE = ("The Board of a Listed Entity must ensure that a Listed Entity does not purchase its own Shares unless:\n"
            "(1)\tthe purchase does not prejudice its ability to pay its creditors as they fall due;\n(2)\tit has "
            "obtained prior approval of Shareholders in meeting by a majority vote; and\n(3)\tprior to the meeting "
            "seeking the consent referred to in {}, the notice of the meeting is filed with the Regulator.")
NUMERIC += [(PURCHASE.format("(2)"), PURCHASE.format("(4)"))]  # a reference "(2)" is no item "2)"
WAR = ("On April {}, 1917, two days after the U.S. Senate votes 82 to 6 to declare war against Germany, the U.S. House "
       "of Representatives endorses the decision by a vote of 373 to 50.")
NUMERIC += [(WAR.format(6), WAR.format(7))]  # "April 6, 1917, two days" is a date, no run of three numbers
NEGATION += [("Legionnaires disease signs and symptoms are often mild, it is likely that the real number of infections "
              "is considerably higher than the reported ones.",
              "Legionnaires disease signs and symptoms are often mild, it is not likely that the real number of "
              "infections is considerably higher than the reported ones.")]

# The seed-30 read (held out; 150 of 161): its wrong twins, refused since (a remark's claim is negated, not the
# remark; "less than or equal to" turns to "greater than or equal to").
READ_WRONG["negation"] += [
    "In deciding whether or not to do so, in any case in which the Regulator does not consider that the exercise of "
    "its Own Initiative Powers is necessary, it may take into account in particular—\n(a)\twhether in the country, "
    "territory or jurisdiction of the Non Abu Dhabi Global Market Regulator concerned, corresponding assistance would "
    "be given to the Regulator;\n(b)\twhether the case concerns the breach of a law, or other requirement, which has "
    "no close parallel in the Abu Dhabi Global Market;\n(c)\tthe seriousness of the case.",
    "Who We Work With.",
]
READ_WRONG["direction"] += [
    "Regardless of liability under this Rule, the Payer's Payment Service Provider must, on request by the Payer, "
    "immediately and without charge make efforts to trace any non-executed Payment Transaction.",
    "Additionally, new optimization technologies monotonically reduce design area and leakage power by an average "
    "of 20 percent while maintaining timing QoR. n,k], 1 [less than or equal to] k",
    "Without ____ land plant would not have been to able to grow more than just a meter or so tall.",
]
READ_WRONG["binding"] += [
    "In a review of 187,423 nursing job postings made over three months, positions requiring an associate degree "
    "had mean salary of $66,620 and for a BSN degree it was $75,484.",
]
READ_WRONG["numeric"] += [
    "Answer The boiling point of liquid hydrogen is 20.268 K (-252.88 Â°C or -423.184 Â°F)",
    "Fleas are holometabolous insects, going through the four lifecycle stages of egg, larva, pupa, and imago "
    "(adult).",
]
READ_WRONG["numeric"] += [  # found checking the fixes on seed 30's draw: once the count is refused, the next
    # candidate was a share of a breakdown (50% -> 100%, beside 35%, 10% and 5%)
    "Flea populations are distributed with about 50% eggs, 35% larvae, 10% pupae, and 5% adults.",
    "Medicare Part B pays 80% of most doctor's services, and you pay the other 20%.",
]
NOTED = ("It should be noted that the exception in paragraph 71d) will{} apply in circumstances where a Listed Entity "
         "is aware of information about a known event, but needs time to determine the financial impact of the event.")
NEGATION += [(NOTED.format(" not"), NOTED.format(""))]
DIRECTION += [("The liability value must be less than or equal to zero.",
               "The liability value must be greater than or equal to zero.")]

# The seed-31 read (held out; 142 of 155): its wrong twins, refused since (`borrowed from` now turns to `lent to`),
# all but two: `tack on another $2 to $3 ... (for a $4 to $5 increase)` and `2 day acyclovir` beside `for 2 days`.
READ_WRONG["direction"] += [
    "An issuer shall not incur any liability under section 70(1) of the FSMR if the Person incurring the loss "
    "acquired the Securities in question with knowledge that the statement was false.",
    "Where Exposure to a Counterparty or issuer is large, PSIA holders risk a large loss should the Counterparty "
    "default.",
    "See suicide statistics (below and bottom of Suicide Prevention page).",
]
READ_WRONG["binding"] += [
    "The professionals at Home Health Care Plus can evaluate patient needs and perform home evaluations for adaptive "
    "equipment, including: Stair Glides.",
]
READ_WRONG["numeric"] += [
    "The nurse taking care of the patient typically has one or two patients, so the patients here are able to be "
    "constantly monitored.",
    "Hydrogen is found naturally in the molecular H2 form.",
    "I realized 3beanespresso used Douglas table.",
    "2. Registered Nurses usually take one of three education paths: a Bachelor of Science in nursing (BSN), an "
    "Associate of Applied Science in Registered Nursing (ASN), or a diploma from an approved nursing program.",
]
NUMERIC += [("2017 Fee Schedule Amounts for CMS Ruling 1682-R.", "2018 Fee Schedule Amounts for CMS Ruling 1682-R.")]
DIRECTION += [("Over half of the words in Thai are borrowed from Pali, Sanskrit and Old Khmer.",
               "Over half of the words in Thai are lent to Pali, Sanskrit and Old Khmer."),
              ("The firm borrowed 5 million from the bank.", "The firm lent 5 million to the bank.")]

# The seed-32 read (held out; 151 of 162): its wrong twins, refused since, all but one (`at most once a day` before
# `the vast majority shower two, three or even four times a day`).
READ_WRONG["negation"] += [
    "Unless it is referred to in paragraph (1), Price Stabilisation of those Financial Instruments shall not in any "
    "circumstances be executed above the market price of those Financial Instruments.",
    "The Regulator may give a further decision notice as a result of subsection (3) only if the person to whom the "
    "Original Notice was given consents.",
]
READ_WRONG["binding"] += ["Pain caused by the bladder, bowel, or appendix can produce pain in the pelvic region."]
READ_WRONG["numeric"] += [
    "An Authorised Person must calculate the value of the CRM adjusted for any Maturity Mismatch, using the following "
    "formula:\nPA = P(t 0.25)/(T 0.25)\nwhere\n(a)\tP = value of the credit protection.",
    "Where the Regulator determines that the Resolution Conditions are met pursuant to subsection \u200e(2), the "
    "Regulator shall give notice of that determination, together with reasons for the decision recorded pursuant to "
    "subsection (2).",
    "The Application process is broadly broken down into five stages, as follows: a) Due Diligence; b) Submission.",
    "SPECIFIC DISCLOSURE REQUIREMENTS\nDisclosure against Table 1 of JORC Code / SAMREC Code\nIn such a circumstance, "
    "a Mining Reporting Standard cannot leave an item contained within Table 1 blank.",
    "2 35-16 = 9 (length of upper base).",
    "Tissues are organized into three tissue systems: the dermal, vascular, and ground systems.",
    "Apria Healthcare Inc can be contacted via phone (325) 677-2405, or through Starck, Daniel via phone (949) "
    "639-2000.",
]

# The seed-33 read (held out; 160 of 165): its wrong twins, refused since.
READ_WRONG["negation"] += [
    "Where a Captive Insurer that is not a Cell Company carries on Long-Term Insurance Business that, under the "
    "provisions of Rule 8.2, must be attributed to a Long-Term Insurance Fund, it must either: (a) establish one or "
    "more Long-Term Insurance Funds; or (b) notify the Regulator.",
]
READ_WRONG["direction"] += [
    "A person is entitled to recover compensation for any loss sustained by him as a result of having parted with it.",
    "Where the property of a Body Corporate is transferred to a Fund or to the Trustee to hold on trust, Rule 13.6.2 "
    "applies.",
    "The latest and today's weather in Montego Bay, Jamaica updated regularly.",
]
READ_WRONG["numeric"] += [
    "For hydrogen to become a liquid, you need to cool it down to 20.28 K, which is -252.87 degrees Celcius, or "
    "-434.45 degrees Fahrenheit if that is more your style.",
]
READ_WRONG["numeric"] += ["If that is more your style. 6 people found this useful."]  # found checking the fixes on
# seed 33's draw: once the conversion is refused, the next candidate was a scraped counter
DIRECTION += [("An issuer should approach FSRA at the earliest opportunity.",
               "An issuer should approach FSRA at the latest opportunity.")]

# The seed-34 read (held out; 155 of 159): its wrong twins, refused since.
READ_WRONG["negation"] += ["- primarily cell mediated, with humoral immunity playing a minor role."]
READ_WRONG["binding"] += [
    "A trapezoid midsegment connects the midpoints of the two congruent sides of the trapezoid, and is parallel to "
    "the pair of parallel sides.",
    "Their patterns can range from an even color to all kinds of color combinations and spots.",
]
NUMERIC += [("The onset of this form of the disease is usually two to 10 days after infection but can occur up to "
             "16 days later.", "The onset of this form of the disease is usually two to 10 days after infection but "
             "can occur up to 32 days later.")]  # the range's end may not pass the bound set beside it
# a clause, not a compound adjective: its verb goes on to a phrase of its own
NEGATION += [("Often water flowed into the basement.", "Often water did not flow into the basement.")]
BINDING += [("The foreign bank paid a broker.", "The bank paid a foreign broker.")]  # an adjective of nothing else
# A value beside its conversion: read wrong while one side kept the old value (the cod, the Mylar bags); both sides
# change alike now, a temperature by one step of each scale, other units doubled
NUMERIC += [
    ("In general, your cod will be done when it reaches an internal temperature of 54°C (130°F), regardless of "
     "cooking method.", "In general, your cod will be done when it reaches an internal temperature of 64°C (148°F), "
     "regardless of cooking method."),
    ("Mylar bags are the best option when you are cooking foods that require temperatures above 158 Â°F / 70 Â°C, "
     "such as vegetables and beans.", "Mylar bags are the best option when you are cooking foods that require "
     "temperatures above 176 Â°F / 80 Â°C, such as vegetables and beans."),
    ("We recommend 56C / 133F for perfectly medium rare short ribs.",
     "We recommend 66C / 151F for perfectly medium rare short ribs."),
    ("Common goldfish can grow to be over 12 inches (30.5 cm) long.",
     "Common goldfish can grow to be over 24 inches (61.0 cm) long."),
    ("It weighs 1,000 pounds (453.6 kilograms).", "It weighs 2,000 pounds (907.2 kilograms)."),
    ("The fee is USD 500 (about AED 1,835).", None),  # a currency's rate is no unit's: left alone
    ("Keep it at 20 inches (50 kg).", None),  # two kinds of unit: no conversion
]
READ_WRONG["numeric"] += [
    "Hydrogen boils at -252.88 °C (-423.18 °F).",  # signed: left alone
    "Obtain a fish tank that can hold 50 gallons (189.3 L) or more. Shubunkin Goldfish get very large, so a 50 "
    "gallon (189.3 L) tank is the smallest tank you should use.",  # the passage gives the measure again
    "For the most part, the average temperature in Jamaica is between 80 Â°F and 90 Â°F (27 Â°FCelsius-29 "
    "Â°Celsius).",  # the conversion of a range, behind scraped bytes
    "Optimum temperatures for the flea's life cycle are 21 Â°C to 30 Â°C (70 Â°F to 85 Â°F).",
]
# found checking the conversions on seeds 30-34's draws: a value may not pass another of the same thing in its
# sentence, a number counting the same noun twice is one quantity, and degrees move by ten (a doubled temperature,
# "a high of 164.0 degrees" in Jamaica, reads as nothing)
NUMERIC += [
    ("If kept in a suitable environment, single tail goldfish normally grow to 10 inches (25cm) and can sometimes "
     "reach 12 inches (30cm).", "If kept in a suitable environment, single tail goldfish normally grow to 10 inches "
     "(25cm) and can sometimes reach 24 inches (60cm)."),
    ("(b) if it is unable to disaggregate gross income in its six other business lines, aggregate the total gross "
     "income for these six business lines using a beta of 18%.", "(b) if it is unable to disaggregate gross income "
     "in its six other business lines, aggregate the total gross income for these six business lines using a beta "
     "of 36%."),
    ("January temperatures in Jamaica range from an average low of 72.0 degrees to an average high of 82.0 degrees.",
     "January temperatures in Jamaica range from an average low of 72.0 degrees to an average high of 92.0 "
     "degrees."),
    ("The averaga annual temperature is 26 degrees Celcius (79Â° Fahrenheit).",
     "The averaga annual temperature is 36 degrees Celcius (97Â° Fahrenheit)."),
    ("Do not get single tails unless you have a 180 US gallon (681.4 liter) tank.",
     "Do not get single tails unless you have a 360 US gallon (1362.8 liter) tank."),
    ("Turnout was 60 per cent of the electorate.", "Turnout was 30 per cent of the electorate."),
    ("Whatever you do, they need to be cooked, eventually, over 180F, which is the temperature pectin breaks down.",
     "Whatever you do, they need to be cooked, eventually, over 190F, which is the temperature pectin breaks down."),
    ("Fungi have ribosomes of the 80S type.", None),  # a letter glued to a number is a name, unless the sentence
    # speaks of temperature
    ("The Porbeagle keeps its internal temperature 12.5 to 18 degrees Fahrenheit (7 to 10 degrees Celsius) higher "
     "than the water temperature.", "The Porbeagle keeps its internal temperature 12.5 to 36 degrees Fahrenheit (7 "
     "to 20 degrees Celsius) higher than the water temperature."),  # a range in two units: its ends, together
    ("For as little as $2 per square foot, you can use stains on both interior and exterior surfaces.",
     "For as little as $4 per square foot, you can use stains on both interior and exterior surfaces."),
    ("Conflicts of Interest: The disclosure in Rule \u200e3.3.23 must:\n(1)\tbe made in a durable medium; and\n(2)\t"
     "include sufficient detail.", "Conflicts of Interest: The disclosure in Rule \u200e3.3.24 must:\n(1)\tbe made "
     "in a durable medium; and\n(2)\tinclude sufficient detail."),  # a list item's bracket is no conversion
]

# The seed-35 read (held out; 157 of 161): its wrong twins, refused or moved since.
NEGATION += [(
    "If there is a change in circumstances that causes the Reporting Financial Institution to know that the "
    "self-certification associated with an account is incorrect or unreliable, the Reporting Financial Institution "
    "must re-determine the status of the account.",
    "If there is a change in circumstances that causes the Reporting Financial Institution to know that the "
    "self-certification associated with an account is incorrect or unreliable, the Reporting Financial Institution "
    "must not re-determine the status of the account.")]  # the parse's root sat in the condition's `that` clause
NEGATION += [  # found checking that fix on seeds 30-35's draws: a condition's verb taken for the root
    ("If it appears to the Regulator that a Remote Body Applicant satisfies the requirements of subsection (3) it may "
     "make a Recognition Order.", "If it appears to the Regulator that a Remote Body Applicant satisfies the "
     "requirements of subsection (3) it may not make a Recognition Order."),
    ("An Authorised Person holding Islamic Contracts whether or not for the purpose of a PSIA will need to take "
     "account of the provisions.", "An Authorised Person holding Islamic Contracts whether or not for the purpose "
     "of a PSIA will not need to take account of the provisions."),  # a `whether` on the root with its own modal
]
READ_WRONG["direction"] += [
    "Problems that might trigger such a situation could include the insolvency of a reinsurer with a significant "
    "share in the Insurer's programme, discovery of exposures without current reinsurance coverage, or exhaustion of "
    "reinsurance covers through multiple losses.",
]
NUMERIC += [
    ("Of all four stages of the flea (egg, larva, pupa, adult) the eggs and larvae make up about 80% of the total "
     "flea population in an infested home.", "Of all four stages of the flea (egg, larva, pupa, adult) the eggs and "
     "larvae make up about 40% of the total flea population in an infested home."),
    ("Following the dissolution of the Soviet Union in 1991, twelve independent republics emerged from the USSR:",
     "Following the dissolution of the Soviet Union in 1992, twelve independent republics emerged from the USSR:"),
    ("It comes in three sizes (small, medium, and large) at every store.", None),  # the bracket lists the three
    ("It is a region where two (or more) tectonic plates collide.",
     "It is a region where four (or more) tectonic plates collide."),
]

# The seed-36 read (held out; 155 of 170): its wrong twins, fourteen of fifteen refused or written right since
# (left: 'Speech disorders' in a list of symptoms, negated as a verb).
READ_WRONG["negation"] += [
    "If it has followed the procedure, it need not follow it again if it decides to take other action.",
    "Did you know that when you loose your piece of bread in the cheese, you.",
    "The best treatments for cold sores are prescription antiviral agents taken orally, says Rao.",
]
READ_WRONG["direction"] += [
    "The Regulator may act to protect the public from financial loss due to improper conduct.",
    "The Client Money is withdrawn from the Client Account in accordance with the Client Money Rules.",
    "It impedes the prompt transfer of own funds and repayment of liabilities between the counterparties.",
]
READ_WRONG["binding"] += ["The white color stands for purity and is the color of Buddhism."]
READ_WRONG["numeric"] += ["Confidence votes 91."]
NUMERIC += [
    ("An RIE must comply with the following requirements set out in MIR, Chapter 5: (a) Rules 5.1 - 5.3; and (b) "
     "Rule 5.4.1.", "An RIE must comply with the following requirements set out in MIR, Chapter 5: (a) Rules 5.1 - "
     "5.4; and (b) Rule 5.4.1."),
    ("Credit is reviewed under Section 4.12 every year.", "Credit is reviewed under Section 4.13 every year."),
]
DIRECTION += [("The firm recorded a loss in 2019.", "The firm recorded a gain in 2019.")]
ASSETS = ("Assets are{} normally available to meet Insurance Liabilities of an Insurer arising in respect of "
          "operations conducted by the Insurer in ADGM, if those assets are required, under the laws of any "
          "jurisdiction, to be located in a jurisdiction other than ADGM, except where the assets are required "
          "to be located in that jurisdiction to meet, or as collateral against, either:\na.\tliabilities that "
          "are Insurance Liabilities of the Insurer arising in respect of operations conducted by the Insurer "
          "in ADGM; or\nb.\tliabilities that may arise in the future and that would, if they arose, be "
          "Insurance Liabilities of the Insurer arising in respect of operations conducted by the Insurer in "
          "ADGM.")  # the parse's root: list item b's `be`
NEGATION += [
    ("Credit authority delegated to the credit committee should be subject to regular review.",
     "Credit authority delegated to the credit committee should not be subject to regular review."),
    ("Credit authority delegated to the credit committee and each credit officer should be subject to regular "
     "review.", "Credit authority delegated to the credit committee and each credit officer should not be subject to "
     "regular review."),
    (ASSETS.format(" not"), ASSETS.format("")),
]
READ_WRONG["negation"] += ["In fact, let me provide you with well over 50 ways to tell whether or not you, or "
                           "someone else, is a Threeper."]
NUMERIC += [
    ("On the coast, temperatures range from 22\u00c2\u00b0C (72\u00c2\u00b0F) and 31\u00c2\u00b0C "
     "(88\u00c2\u00b0F) in winter.", "On the coast, temperatures range from 22\u00c2\u00b0C (72\u00c2\u00b0F) and "
     "41\u00c2\u00b0C (106\u00c2\u00b0F) in winter."),  # the start would have passed the end (32 against 31)
    ("Written Thai: Joined Up 1 Thinking.", None),
    ("By June 2019 Apple had sold 5 Million phones.", "By June 2019 Apple had sold 10 Million phones."),
]

# The seed-37 read (held out; 159 of 167): six of its eight wrong twins refused or written right since (a passage
# scraped twice now has both copies of its edited sentence edited; left: a real-estate fund's `assets` turned to
# `liabilities`, a scraped range `$ 50 $ 1 00`).
READ_WRONG["negation"] += [
    "For the purposes of (1), measures that a Relevant Person must undertake when taking reasonable measures to "
    "comply with findings, include, but are not limited to, the following.",
    "exists and is an alternate of .",
]
READ_WRONG["direction"] += ["The company is in existence since 1887 and is the most sold chocolate in switzerland."]
READ_WRONG["numeric"] += [
    "There are three general types of plate boundaries: divergent, convergent, and transform.",
    "Speech impairments in spastic dysarthria involves four major abnormalities of voluntary movement: spasticity, "
    "weakness, limited range of motion and slowness of movement.",
]
NUMERIC += [("Hurricane Sandy - October 29, 2012 Summary: Hurricane Sandy was the 18th named tropical cyclone of the "
             "2012 Atlantic hurricane season (June 1 - November 30).",
             "Hurricane Sandy - October 29, 2012 Summary: Hurricane Sandy was the 18th named tropical cyclone of the "
             "2012 Atlantic hurricane season (June 2 - November 30).")]


NUMERIC += [
    ("Thai is spoken by over 20 million people (2000).", "Thai is spoken by over 40 million people (2000)."),  # a
    # bracketed year is the figure's date, not its conversion
    ("It is subdivided into 100 satang (\u00e0\u00b8\u00aa\u00e0\u00b8\u00b9).",
     "It is subdivided into 200 satang (\u00e0\u00b8\u00aa\u00e0\u00b8\u00b9)."),  # mis-decoded bytes hold a
    # superscript one, no number
]

READ_WRONG["negation"] += ["Answer by Shelbyray2014.", "Confidence votes 91."]  # a byline and a counter of a
# scraped answer site, each negated once the passage's scraped copy was edited alike

# The seed-38 read (held out; 154 of 158): two of its four wrong twins written right or refused since (left: a copy
# glued on with small differences, `abovechills` and `above chills`; `2 day acyclovir` beside `for 2 days`).
NEGATION += [("The United States got involved in World War 1 because of a telegram.",
              "The United States did not get involved in World War 1 because of a telegram.")]
READ_WRONG["numeric"] += [
    "Softwood contains only two types of cells, longitudinal wood fibres (or tracheids) and transverse ray cells.",
    "There are two types of SIGMETs, convective and non-convective.",
]

# The seed-39 read (held out; 155 of 164): all nine of its wrong twins refused or written right since.
READ_WRONG["negation"] += ["Before you begin this journey you need to know what Post Traumatic Stress Disorder is.",
                           "Welcome to American Care & Equipment."]
NEGATION += [("DME that Medicare covers includes, but isn't limited to: 1 Air-fluidized beds.",
              "DME that Medicare covers includes, but is limited to: 1 Air-fluidized beds."),  # `n't` on the auxiliary
             ("We welcome new members.", "We do not welcome new members.")]
READ_WRONG["direction"] += ["For clarification, a Spot Commodity is a good sold for cash and promptly delivered.",
                            "It reduces the excess borrowings by liquidating assets to repay borrowings."]
DIRECTION += [("The house was sold by the bank.", "The house was bought by the bank.")]
READ_WRONG["numeric"] += ["Source(s): plantgirl \u00c2 \u00b7 9 years ago.ieve tube elements are living cells.",
                          "Mar 17, 2009, 4:23 PM.",
                          "for commercial concrete floors the cost is anywhere from $ 50 $ 1 00 dollar per sq ft"]
DIRECTION += [("For a sold call Option on a bill Future, the underlying is the bill.",
               "For a bought call Option on a bill Future, the underlying is the bill.")]  # a position, not a sale
READ_WRONG["numeric"] += ["It will grow fast and big. blackheart_21 \u00c2 \u00b7 7 years ago."]  # a user name
NUMERIC += [("MTFs must also meet the additional Rules set out in COBS 17.7.",
             "MTFs must also meet the additional Rules set out in COBS 17.8."),  # a rulebook's code cites
            ("It must comply with MIR Rules 2.5 and 2.6 at all times.",
             "It must comply with MIR Rules 2.5 and 2.7 at all times."),
            ("The meeting is on Mar 17, 2009 at 4:23 PM in Room 5.",
             "The meeting is on Mar 18, 2009 at 4:23 PM in Room 5.")]

# The seed-40 read (held out; 159 of 166): six of its seven wrong twins refused or written right since (left: `seven
# key factors as set out below:` before its lettered list, on lines of their own).
READ_WRONG["negation"] += ["The dendrites don\u00e2\u0080\u0099t have terminating knobs at the end of it.",
                           "Let LIS(x) denote the length of the longest increasing sequence in x."]
NEGATION += [("The dendrites have terminating knobs.", "The dendrites do not have terminating knobs."),  # `have`
             # read as an auxiliary of `terminating`
             ("Let the dough rest for an hour.", "Do not let the dough rest for an hour.")]
READ_WRONG["direction"] += ["In this method, you let the ribs cook for at least 24 hours \u2014 I go with 48 hours."]
READ_WRONG["numeric"] += [
    "The flag features five horizontal stripes in the colours red, white, blue, white and red.",
    "It then spreads or moves to the lower right abdomen within a day or two.",
]
NUMERIC += [("The flag shows five stripes in the colours red, white, blue, white and red, the blue twice as wide "
             "as each of the other four.", "The flag shows five stripes in the colours red, white, blue, white and "
             "red, the blue three times as wide as each of the other four."),  # `the other four` points back
            ("Shield volcanoes form as two oceanic plates pull slowly apart and magma effuses upward.",
             "Shield volcanoes form as four oceanic plates pull slowly apart and magma effuses upward."),
            ("It is likely that a person has a Legionella pneumophila serogroup 1 infection.",
             "It is likely that a person has a Legionella pneumophila serogroup 2 infection.")]  # a name's number

TABLES = {"negation": NEGATION, "role_swap": ROLE_SWAP, "direction": DIRECTION, "binding": BINDING,
          "numeric": NUMERIC}


@pytest.mark.parametrize(("category", "source", "expected"),
                         [(c, s, e) for c, rows in TABLES.items() for s, e in rows])
def test_operator_writes_the_expected_twin_or_refuses(category, source, expected):
    sentence = next(iter(nlp()(source).sents))
    replacements = OPERATORS[category](sentence)
    got = apply(sentence.text, replacements)[0] if replacements else None
    assert got == expected


def test_binding_terms_come_from_wordnet_and_the_operators_own_list():
    from sim.knowledge.realtext.binding import OWN_TERMS, terms

    assert {("rainy", "season"), ("mental", "illness"), ("black", "market")} | OWN_TERMS <= terms()
    assert len(terms()) > 14_000 and ("large", "baseboard") not in terms()


def test_each_table_has_ten_sentences_with_twins_and_refusals():
    for rows in TABLES.values():
        assert len(rows) >= 10 and sum(e is not None for _, e in rows) >= 5 and any(e is None for _, e in rows)


def test_the_engine_edits_the_sentence_most_like_the_question_and_keeps_the_rest():
    passage = ("This chapter sets out the scope. A firm must notify the Regulator within 30 days of a breach. "
               "Records are kept for 6 years.")
    (twins,) = write_twins([passage], categories=["numeric", "negation"],
                           questions=["How long does a firm have to notify the Regulator of a breach?"])
    numeric, negation = twins
    assert numeric.text == passage.replace("30 days", "60 days") and numeric.edit.sentence == 1
    assert (numeric.edit.before, numeric.edit.after) == ("30", "60")
    assert negation.text == passage.replace("must notify", "must not notify")


def test_twins_are_deterministic_and_refusals_write_nothing():
    texts = ["The bank pays the client 5 dollars before noon.", "Hello."]
    first, second = list(write_twins(texts)), list(write_twins(texts))
    assert [[t.text for t in ts] for ts in first] == [[t.text for t in ts] for ts in second]
    assert {t.category for t in first[0]} == {"negation", "role_swap", "direction", "numeric"}
    assert first[1] == []
    assert set(CATEGORIES) == set(OPERATORS)


@pytest.mark.parametrize(("category", "source"), [(c, s) for c, rows in READ_WRONG.items() for s in rows])
def test_operator_refuses_what_its_author_read_as_wrong(category, source):
    """Every sentence of a passage: none may yield the twin once marked wrong."""
    for sentence in nlp()(source).sents:
        assert not OPERATORS[category](sentence), sentence.text


def test_read_sheet_keeps_marks_of_unchanged_twins_and_counts_them(tmp_path):
    """A drawn sheet, marked by hand, redrawn: the marks stay with their twins and the share right follows them."""
    from pathlib import Path

    from sim.experiments.probe_data import load_probe_set
    from sim.experiments.twin_sheet import draw, passages_of, read_marks, render, wilson, with_marks

    probe = load_probe_set(Path(__file__).resolve().parents[2] / "shared" / "data" / "beir-subsets" / "msmarco")
    passages = passages_of(probe, 40, seed=7)
    assert passages == passages_of(probe, 40, seed=7) and passages != passages_of(probe, 40, seed=8)
    coverage, rows = draw("msmarco", passages, per_category=3, seed=7)
    assert coverage.passages == 40 and coverage.edited["negation"] >= 30
    sheet = tmp_path / "sheet.md"
    sheet.write_text(render([coverage], rows, "cmd"), encoding="utf-8")
    negations = [r for r in rows if r.category == "negation"]
    marked = sheet.read_text(encoding="utf-8").replace(f"| 0 | ? | {negations[0].before} |",
                                                       f"| 0 | W: reason | {negations[0].before} |", 1)
    sheet.write_text(marked.replace("| ? |", "| R |"), encoding="utf-8")
    _, again = draw("msmarco", passages, per_category=3, seed=7)
    text = render([coverage], with_marks(again, read_marks(sheet)), "cmd")
    assert "| negation | 2 of 3 (67%; 95% interval 21%-94%) |" in text
    assert wilson(20, 20)[0] == pytest.approx(0.839, abs=0.001) and wilson(0, 5)[0] == 0.0
    assert ", 1 unread" not in text and "| ? |" not in text
    shown = next(line for line in text.splitlines() if line.startswith("| 0 | W: reason |"))
    assert shown.endswith(f"| {negations[0].twin} |") and negations[0].twin not in ("", negations[0].sentence)
    new, old = tmp_path / "new.md", tmp_path / "old.md"
    new.write_text(text, encoding="utf-8")
    old.write_text("\n".join(line.rsplit(" | ", 1)[0] + " |" if line.startswith("| ") and line[2:3].isdigit()
                             else line for line in text.splitlines()), encoding="utf-8")  # before the twin column
    assert read_marks(old) == read_marks(new) and len(read_marks(new)) == len(again)


def test_a_list_whose_first_marker_precedes_the_first_modal_is_negated_without_error():
    """Found listing what the seed-33 fixes change: the list item's `(a)` stands before the sentence's first modal
    (`would`, inside a relative clause), so the modal nearest the list must be looked for after that modal."""
    text = ('Positions arising from internal hedges are eligible for Trading Book capital treatment, provide'
            'd that they meet the criteria for trading intent specified in Rule A2.1.5 and the following cri'
            'teria on prudent valuation:\n(a)\tthe internal hedge is not primarily intended to avoid or reduce'
            ' Capital Requirements which the Authorised Person would be otherwise required to maintain;\n(b)\t'
            'the internal hedge is properly documented and subject to specific internal approval and audit p'
            'rocedures;\n(c)\tthe internal hedge is dealt with at market conditions;\n(d)\tthe bulk of the Marke'
            't Risk which is generated by the internal hedge is dynamically managed in the Trading Book with'
            'in the limits approved by senior management; and\n(e)\tthe internal hedge is carefully monitored '
            'with adequate procedures.')
    sentence = next(iter(nlp()(text).sents))
    replacements = OPERATORS["negation"](sentence)
    twin = apply(sentence.text, replacements)[0] if replacements else sentence.text
    assert "would not be" not in twin


def test_a_passage_scraped_twice_has_both_copies_of_its_edited_sentence_edited():
    """Seed 37: 'Access hourly, 10 day and 15 day forecasts ...' twice in one msmarco passage; the twin changed one
    copy and the other kept the old value. A short sentence that recurs is not taken for a copy."""
    from sim.knowledge.realtext.engine import twins_of_doc

    claim = "Access hourly, 10 day and 15 day forecasts for Montego Bay from AccuWeather.com."
    doc = nlp()(f"{claim} Get the Montego Bay weather forecast. {claim}")
    twin = next(t for t in twins_of_doc(doc, ["numeric"]))
    assert "15 day" not in twin.text and twin.text.count("30 day") == 2 and twin.edit.sentence == 0
    short = nlp()("It is 5 km. Walk on. It is 5 km.")
    assert next(t for t in twins_of_doc(short, ["numeric"])).text == "It is 10 km. Walk on. It is 5 km."


def test_a_passage_with_a_scraped_copy_glued_on_has_the_copy_edited_alike():
    """msmarco pages scraped twice: the copy follows without a space and lost its first letter, sometimes cut short
    (about one passage in twenty). The twin is written on the first copy and the copy made again from it; before,
    a negation left the old claim standing in the copy, and a number written in both copies was refused."""
    from sim.knowledge.realtext.engine import scraped_copy, twins_of_doc

    first = ("Average New Grad Bsn RN salaries for job postings in New York, NY are 36% higher than average New Grad "
             "Bsn RN salaries for job postings nationwide.")
    text = first + first[1:]
    assert scraped_copy(text) == (len(first), 1) and scraped_copy(first) is None
    twins = {t.category: t.text for t in twins_of_doc(nlp()(text))}
    assert twins["numeric"].count("72% higher") == 2 and "36%" not in twins["numeric"]
    assert twins["negation"].count("are not 36% higher") == 2
    cut = text[:len(first) + 60]  # the copy cut short before the edit: it keeps what it holds
    assert next(t.text for t in twins_of_doc(nlp()(cut)) if t.category == "numeric") == \
        first.replace("36%", "72%") + first[1:61]
