"""Hand-written (synthetic) model emails for a batch: the summit ask (tests/data/batch) to each
partner of tests/data/batch/partners.csv, as a capable model would write them, every fact from
the ask and each opening from that partner's own focus and history.

No model wrote these: the local model cannot be run this session, so they stand in for model
drafts where the bench and the tests replay "model" output through the real pipeline (a
scripted fake endpoint answers each partner's request with its email). `SYNTHETIC_MODEL` is the
model name they are replayed under, so no one mistakes them for recorded output.
"""

from __future__ import annotations

SYNTHETIC_MODEL = "synthetic-hand-written"

_CLOSE = (
    "Warm regards,\n"
    "Ava Thompson\n"
    "Director of Coalitions, Liberty Policy Forum\n"
    "ava.thompson@libertypolicyforum.org\n"
    "+1 202 555 0143"
)

SYNTHETIC_BATCH_EMAILS: dict[str, dict[str, str]] = {
    "Main Street Business Alliance": {
        "subject": "Hosting our licensing summit on Capitol Hill",
        "body": (
            "Hi Marcus,\n\n"
            "Your help with our occupational licensing letter in May made a difference, and now"
            " we want small-business owners to make that case to state legislators in person.\n\n"
            "Liberty Policy Forum is holding the Main Street Licensing Summit on March 4, 2027,"
            " and we would love to hold it in your Capitol Hill conference room, which seats 80."
            " We would need the room from 7:30 am to 1 pm that morning, with a projector and two"
            " microphones.\n\n"
            "For Main Street Business Alliance, that means your logo on all summit materials, a"
            " welcome remark in the opening session, and the opt-in attendee list after the"
            " summit. We cover catering and AV rental ($2,500), so hosting costs your team"
            " nothing.\n\n"
            "Could you let me know by January 15, 2027 whether the room is free? We would share"
            " the final run of show with you by February 19, 2027.\n\n" + _CLOSE
        ),
    },
    "Granite Valley Chamber of Commerce": {
        "subject": "A room for skilled-trades owners to meet legislators",
        "body": (
            "Dear Dana,\n\n"
            "Granite Valley Chamber of Commerce has pushed for licensing reform in the skilled"
            " trades longer than almost anyone, so I wanted you to hear about this first.\n\n"
            "On March 4, 2027 small-business owners, the trades among them, will make their"
            " case at the Main Street Licensing Summit, where state legislators hear from them"
            " directly. Would your Capitol Hill conference room, which seats 80, be free that"
            " morning? We would use it from 7:30 am to 1 pm and need a projector and two"
            " microphones.\n\n"
            "In return, your logo goes on all summit materials, your chamber gives a welcome"
            " remark in the opening session, and you receive the opt-in attendee list after the"
            " summit. Liberty Policy Forum pays the $2,500 for catering and AV rental; it costs"
            " the chamber nothing.\n\n"
            "Would you tell me by January 15, 2027 if we can count on the room? You would have"
            " the final run of show from us by February 19, 2027.\n\n" + _CLOSE
        ),
    },
    "Riverside Barbers Guild": {
        "subject": "After the barber bill: a summit in your room?",
        "body": (
            "Hi Luis,\n\n"
            "Testifying beside Riverside Barbers Guild on the barber bill in 2025 showed us how"
            " much weight a barber's own story carries with lawmakers. We want more of that.\n\n"
            "The Main Street Licensing Summit on March 4, 2027 puts small-business owners in"
            " front of state legislators to talk about occupational licensing reform, and a"
            " barber's voice belongs in that room. Could we borrow your Capitol Hill conference"
            " room, which seats 80, from 7:30 am to 1 pm that morning, with a projector and two"
            " microphones?\n\n"
            "Your guild would get its logo on all summit materials, a welcome remark in the"
            " opening session, and the opt-in attendee list after the summit. We cover the"
            " $2,500 for catering and AV rental, so it costs you nothing.\n\n"
            "Please let me know by January 15, 2027 whether that works. We would share the final"
            " run of show with you by February 19, 2027.\n\n" + _CLOSE
        ),
    },
    "Coastal Food Trucks, Inc.": {
        "subject": "Food truck owners at our licensing summit",
        "body": (
            "Dear Priya,\n\n"
            "Permits for mobile vendors are one of the clearest examples of licensing rules that"
            " keep people from starting a business, and Coastal Food Trucks, Inc. knows them"
            " first-hand.\n\n"
            "Liberty Policy Forum is hosting the Main Street Licensing Summit on March 4, 2027 so"
            " owners like you can tell state legislators what those rules cost. We are looking"
            " for a room: your Capitol Hill conference room seats 80, and we would need it from"
            " 7:30 am to 1 pm that morning with a projector and two microphones.\n\n"
            "Hosting puts your logo on all summit materials, gives you a welcome remark in the"
            " opening session, and brings you the opt-in attendee list after the summit. The"
            " $2,500 for catering and AV rental is ours to pay; it costs you nothing.\n\n"
            "Could you answer by January 15, 2027? We would send you the final run of show by"
            " February 19, 2027.\n\n" + _CLOSE
        ),
    },
    "Hometown Retailers Network": {
        "subject": "Downtown retailers and licensing reform",
        "body": (
            "Dear Hometown Retailers Network team,\n\n"
            "Small retailers in downtown districts deal with more licensing paperwork than most"
            " shoppers would guess, and legislators rarely hear about it from the owners"
            " themselves.\n\n"
            "That is what the Main Street Licensing Summit on March 4, 2027 is for. We would like"
            " to hold it in your Capitol Hill conference room, which seats 80, from 7:30 am to"
            " 1 pm, with a projector and two microphones.\n\n"
            "Your network would be thanked with its logo on all summit materials and a welcome"
            " remark in the opening session, and you would get the opt-in attendee list after"
            " the summit. Liberty Policy Forum covers catering and AV rental ($2,500), so your"
            " network pays nothing.\n\n"
            "Would you let us know by January 15, 2027 whether the room is available? We would"
            " share the final run of show with you by February 19, 2027.\n\n" + _CLOSE
        ),
    },
}
