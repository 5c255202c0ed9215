"""The four modules every campaign starts with. ``flask seed-training`` (and the demo) create the
ones missing by slug; an organiser's edits to a seeded module are never overwritten."""
from __future__ import annotations

from ..models.states import EventKind

KNOCKING = """\
You are the campaign's face at the door. Most conversations last a minute: be friendly, be brief,
and write down what happened before you walk to the next door.

## Before you knock
- Check the door is on **your** list in Legwork. Skip doors with a *do not contact* mark.
- Have the script ready: who you are, who you are with, one question.
- Go in pairs where you can, and tell your lead where you are.

## At the door
1. Knock or ring once, then step back so you are not crowding the doorstep.
2. Smile, say your name and the campaign: "Hi, I'm Sam, volunteering for ... in your area."
3. Ask the question on your list. Listen more than you talk.
4. Thank them, whatever they say. Never argue; never go inside.

If someone asks not to be contacted again, say you will make sure of it, and record it.

## Recording the outcome in Legwork
Record each door **as you leave it**, not at the end of the street (your campaign's list of
outcomes may differ a little):
- **Not home**: nobody answered (leave a leaflet if you have one). **Come back**: ask another time.
- **Spoke**: you talked to the person; add their answers.
- **Refused**: they did not want to talk. **Do not contact**: they asked not to be contacted.
- **Moved** or **Wrong address**: the person no longer lives there, or the address is wrong.
- **Inaccessible**: you could not reach the door (locked gate, entry phone).

No signal? Keep recording: Legwork keeps the doors on your phone and sends them when the
signal comes back. Do not sign out until the sync line says everything is sent.

## Staying safe
Trust your instincts. Do not approach a door with a dog loose in the garden, and leave any
conversation that turns hostile. Your safety matters more than any door.
"""

DATA_PROTECTION = """\
The names, addresses and answers you see are **personal data** about real neighbours. The law
(UK GDPR and the Data Protection Act 2018) and basic decency say we protect them.

## Only what you are given
- Open only the lists and call sheets assigned to you. Do not look up friends, family or
  neighbours out of curiosity.
- Record only what the form asks. No opinions about people ("rude", "drunk") in notes.

## Keep it on the screen
- **No photos or screenshots** of lists, call sheets or the map, and do not copy names into
  chat groups, notebooks or spreadsheets.
- Paper walk sheets come back to the organiser at the end of the session: never in the bin.

## Your phone and account
- Lock your phone with a PIN. Do not lend it to anyone while you are signed in.
- **Sign out** at the end of your session, especially on a shared or borrowed device: signing
  out clears the campaign's data from the phone.
- **Lost your phone?** Tell your organiser straight away, even at night. They can sign you out
  everywhere and revoke your access so the data cannot be read.

## If someone asks
If a voter asks what we hold about them or wants it deleted, do not promise anything yourself:
take their request politely and pass it to your organiser the same day.
"""

PHONE_BANKING = """\
Phone banking is canvassing by phone: the same friendly, short conversation, without the walk.

## The script
Introduce yourself and the campaign, check you are speaking to the right person, ask the
question on the screen, and thank them. Read the script the first few times; after that, make it
sound like you. Keep calls under three minutes.

## Calling hours
Call only within the calling window Legwork shows (it uses the time zone of the number). Do not
call earlier or later even if the voter "is probably up": a call at the wrong hour costs more
goodwill than it wins.

## Do not call
- If someone asks not to be called again, apologise, end the call, and record **Do not
  contact**. Legwork takes the number off every list, door and phone.
- Never call a number that is not on your sheet, and never call from a list you copied.
- Wrong number? Record it, so nobody calls that stranger again.

## Recording the call
Record every call as soon as it ends, including no answer and voicemail: those decide when (and
whether) the number comes back round. Keep notes factual and short.

## Looking after yourself
Some people will be rude. Do not take it personally, do not argue, and take a break between
difficult calls. Tell your organiser about any call that worried you.
"""

TELLING = """\
Tellers stand outside polling stations on polling day and note the elector numbers of people who
have voted, so the campaign does not knock on their doors again that evening. Tellers have **no
official status**: the Presiding Officer is in charge, and you follow their instructions.
These are the UK rules; your Returning Officer's guidance for this election comes first.

## Where you stand
- **Outside the polling station**, never inside the room where people vote. You may go in only to
  cast your own vote, to vote as a proxy, or to help a disabled voter as their companion.
- Stand where voters can pass freely. Never block an entrance or a path, and move if the
  Presiding Officer asks you to.
- Tellers from different parties often share a spot: be polite, and share information if your
  campaign has agreed to.

## Asking for numbers
- You **may ask** a voter for their elector number (on the poll card), usually as they leave.
- You **may not demand** it. Voters do not have to tell you anything; accept a "no" at once and do
  not ask again.
- Never ask how someone voted, and never look at anyone's ballot paper.

## No campaigning
- Wear only a **small rosette** (in the party's colours, with the candidate's or party's name or
  emblem if you like). No slogans, badges, leaflets or posters.
- Do not try to persuade anyone. If a voter asks who to vote for, say you cannot discuss it here.

## Recording
Write numbers down exactly, or enter them in Legwork as they come. Keep the sheets out of sight
of voters and hand them to your committee room runner: they are personal data.
"""

MODULES: tuple[dict, ...] = (
    {"slug": "knocking-on-a-door", "title": "Knocking on a door", "body": KNOCKING,
     "required_for": [EventKind.CANVASS],
     "quiz": [
         {"question": "When do you record a door's outcome in Legwork?",
          "choices": ["At the end of the street", "As you leave each door", "When you get home"], "answer": 1},
         {"question": "Someone asks not to be contacted again. What do you do?",
          "choices": ["Try one more argument", "Say you will make sure of it and record Do not contact",
                      "Just walk away and record nothing"], "answer": 1},
         {"question": "Your phone has no signal. What happens to the doors you record?",
          "choices": ["They are lost", "Legwork keeps them and sends them when the signal comes back",
                      "You must write them on paper instead"], "answer": 1},
     ]},
    {"slug": "data-protection", "title": "Data protection", "body": DATA_PROTECTION, "required_for": [],
     "quiz": [
         {"question": "May you take a photo of your walk list to read later?",
          "choices": ["Yes, if you delete it afterwards", "No, never photograph or screenshot lists"], "answer": 1},
         {"question": "You lose your phone while signed in. What do you do?",
          "choices": ["Tell your organiser straight away", "Wait to see if it turns up",
                      "Nothing: it is locked"], "answer": 0},
         {"question": "Whose details may you look up?",
          "choices": ["Anyone in the ward", "Friends and neighbours", "Only people on lists assigned to you"],
          "answer": 2},
     ]},
    {"slug": "phone-banking", "title": "Phone banking", "body": PHONE_BANKING,
     "required_for": [EventKind.PHONE_BANK],
     "quiz": [
         {"question": "When may you call a number?",
          "choices": ["Any time before midnight", "Only within the calling window Legwork shows",
                      "Whenever the voter is probably up"], "answer": 1},
         {"question": "The person says \"don't call me again\". What do you record?",
          "choices": ["No answer", "Do not contact", "Nothing"], "answer": 1},
     ]},
    {"slug": "telling-rules", "title": "Telling rules", "body": TELLING, "required_for": [],
     "quiz": [
         {"question": "Where does a teller stand?",
          "choices": ["Inside the polling station, by the ballot box", "Outside the polling station, clear of the way in",
                      "Wherever they like"], "answer": 1},
         {"question": "A voter will not give you their elector number. What do you do?",
          "choices": ["Insist: it is the law", "Accept it and do not ask again", "Ask them again on the way out"],
          "answer": 1},
         {"question": "What may a teller wear?",
          "choices": ["A small rosette", "A T-shirt with the campaign slogan", "Any party badges and stickers"],
          "answer": 0},
     ]},
)
