"""Synthetic KakaoTalk Channel cohorts: ``python -m course.datagen --seed N --out DIR``.

The same seed (and size) gives byte-identical files. See ``params`` for the built-in effects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import params as P
from .chats import make_chats, make_organic_orders, settle_agent_responses
from .incidents import make_incidents
from .messaging import MessageSimulation, Sent
from .output import TableFile, format_days, format_times, write_dictionary, write_table
from .people import NEVER, make_friends, make_staff
from .schedule import build_schedule
from ..tables import TABLES

DEFAULT_SEED = 2026
DEFAULT_FRIENDS = 10_000

Progress = Callable[[str], None]


def _pick(labels: tuple[str, ...], index: np.ndarray) -> np.ndarray:
    return np.asarray(labels, dtype=object)[index]


def generate(out: str | Path, seed: int = DEFAULT_SEED, n_friends: int = DEFAULT_FRIENDS,
             progress: Progress | None = None) -> dict[str, int]:
    """Write every course table into ``out``; returns the row count of each table."""
    say = progress or (lambda message: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    say("친구와 운영팀 만드는 중")
    friends = make_friends(rng, n_friends)
    staff = make_staff(rng)
    friend_ids = friends.ids()
    organic_friend, organic_s = make_organic_orders(rng, friends)
    campaigns = build_schedule(rng, staff.writers)

    say(f"메시지 {len(campaigns)}건 발송 시뮬레이션 중")
    deliveries = TableFile(out, TABLES["deliveries"])

    def write_deliveries(sent: Sent, clicked, blocked_24h, purchased, amount) -> None:
        deliveries.write(pd.DataFrame({
            "campaign_id": sent.campaign.campaign_id,
            "friend_id": friend_ids[sent.index],
            "delivered": sent.delivered,
            "clicked": clicked,
            "clicked_at": format_times(sent.click_s, ~clicked),
            "blocked_24h": blocked_24h,
            "purchased_7d": purchased,
            "purchase_amount_krw": amount,
        }))

    simulation = MessageSimulation(rng, friends, staff, organic_friend, organic_s, write_deliveries)
    log = simulation.run(campaigns, seed)
    deliveries.close()
    counts = {"deliveries": deliveries.rows}

    say("채팅 상담과 주문 정리 중")
    chats = make_chats(rng, friends, staff, log.complaint_triggers)
    counts["friends"] = write_table(out, "friends", pd.DataFrame({
        "friend_id": friend_ids,
        "added_at": format_times(friends.added_s),
        "source": _pick(P.SOURCES, friends.source),
        "gender": _pick(P.GENDERS, friends.gender),
        "age_band": _pick(P.AGE_BANDS, friends.age_band),
        "region": _pick(P.REGIONS, friends.region),
        "interest": _pick(P.INTERESTS, friends.interest),
        "ad_consent": friends.ad_consent,
        "night_ad_consent": friends.night_ad_consent,
        "blocked_at": format_times(friends.blocked_s, friends.blocked_s >= NEVER),
    }))
    counts["staff"] = write_table(out, "staff", pd.DataFrame({
        "staff_id": staff.ids, "name": staff.names, "role": staff.roles, "level": staff.levels,
        "training": staff.training, "trained_on": format_days(np.array(staff.trained_day)),
    }))
    counts["campaigns"] = write_table(out, "campaigns", pd.DataFrame({
        "campaign_id": [c.campaign_id for c in campaigns],
        "sent_at": format_times(np.array([c.sent_s for c in campaigns])),
        "msg_type": [c.msg_type for c in campaigns],
        "is_ad": [c.is_ad for c in campaigns],
        "title": [c.title for c in campaigns],
        "body_length": [c.body_length for c in campaigns],
        "has_ad_label": [c.has_ad_label for c in campaigns],
        "target": [c.target for c in campaigns],
        "n_targeted": [log.n_targeted[c.campaign_id] for c in campaigns],
        "cost_krw": [log.n_delivered[c.campaign_id] * P.UNIT_PRICE_KRW[c.msg_type] for c in campaigns],
        "ab_test": [c.experiment.experiment_id if c.experiment else "" for c in campaigns],
        "arm": [c.arm.arm if c.arm else "" for c in campaigns],
        "author": [staff.ids[c.author] for c in campaigns],
    }))

    # Orders: through a message link, after a chat, and on their own.
    horizon = P.DAYS * P.DAY
    chat_buy = chats.will_buy & (chats.buy_s < horizon)
    order_friend = np.concatenate(log.order_friend + [chats.friend[chat_buy], organic_friend])
    order_s = np.concatenate(log.order_s + [chats.buy_s[chat_buy], organic_s])
    n_chat, n_organic = int(chat_buy.sum()), len(organic_friend)
    organic_amount = np.round(rng.lognormal(np.log(P.ORDER_AMOUNT_MEDIAN), P.ORDER_AMOUNT_SIGMA, n_organic), -2)
    order_amount = np.concatenate(log.order_amount + [chats.buy_amount[chat_buy], organic_amount.astype(np.int64)])
    order_campaign = np.concatenate(log.order_campaign + [np.full(n_chat + n_organic, "")]).astype(object)
    in_window = order_s < horizon
    order_friend, order_s, order_amount, order_campaign = (
        order_friend[in_window], order_s[in_window], order_amount[in_window], order_campaign[in_window])
    coupon = np.full(len(order_s), "", dtype=object)
    from_message = order_campaign != ""
    coupon[from_message & (rng.random(len(order_s)) < 0.5)] = "메시지 쿠폰 10%"
    new_friend = (~from_message) & (order_s - friends.added_s[order_friend] < 30 * P.DAY)
    coupon[new_friend & (rng.random(len(order_s)) < 0.35)] = "신규 친구 5,000원"
    order = np.lexsort((order_friend, order_s))
    counts["orders"] = write_table(out, "orders", pd.DataFrame({
        "order_id": [f"O{i:06d}" for i in range(1, len(order) + 1)],
        "friend_id": friend_ids[order_friend[order]],
        "ordered_at": format_times(order_s[order]),
        "amount_krw": order_amount[order],
        "coupon": coupon[order],
        "campaign_id": order_campaign[order],
    }))

    # A chat converted when the same friend ordered within 7 days of starting it.
    chat_frame = pd.DataFrame({"friend": chats.friend, "t": chats.started_s, "k": np.arange(len(chats.friend))})
    order_frame = pd.DataFrame({"friend": order_friend[order], "next_order": order_s[order]})
    first_after = pd.merge_asof(chat_frame.sort_values("t"), order_frame.sort_values("next_order"),
                                left_on="t", right_on="next_order", by="friend", direction="forward")
    first_after = first_after.sort_values("k")
    converted = ((first_after["next_order"] - first_after["t"]) < 7 * P.DAY).to_numpy()
    settle_agent_responses(chats, converted, seed)
    counts["chats"] = write_table(out, "chats", pd.DataFrame({
        "chat_id": [f"CH{i:06d}" for i in range(1, len(chats.friend) + 1)],
        "friend_id": friend_ids[chats.friend],
        "started_at": format_times(chats.started_s),
        "first_response_seconds": chats.response_s,
        "inquiry": chats.inquiry,
        "intent": _pick(P.INTENTS, chats.intent),
        "handled_by": np.where(chats.by_bot, "챗봇", "상담원"),
        "agent": np.where(chats.agent >= 0, np.asarray(staff.ids, dtype=object)[np.maximum(chats.agent, 0)], ""),
        "converted_7d": converted,
        "satisfaction": pd.Series(chats.satisfaction, dtype="Int64").mask(chats.satisfaction == 0),
    }))

    experiment_frames = [pd.DataFrame({**{k: v for k, v in rows.items() if k != "friend_index"},
                                       "friend_id": friend_ids[rows["friend_index"]]})
                         for rows in log.experiment_rows]
    experiments = pd.concat(experiment_frames, ignore_index=True).sort_values(
        ["experiment_id", "friend_id"], kind="stable")
    counts["experiments"] = write_table(out, "experiments", experiments)

    say("일별 통계와 위기 시나리오 만드는 중")
    days = np.arange(P.DAYS)
    end_of_day = (days + 1) * P.DAY
    added_sorted = np.sort(friends.added_s)
    blocked_sorted = np.sort(friends.blocked_s)
    added_by_day = np.bincount(friends.added_s[friends.added_s >= 0] // P.DAY, minlength=P.DAYS)[:P.DAYS]
    blocked_in = friends.blocked_s[(friends.blocked_s >= 0) & (friends.blocked_s < P.DAYS * P.DAY)]
    friends_total = np.searchsorted(added_sorted, end_of_day, side="left") - np.searchsorted(blocked_sorted, end_of_day, side="left")
    chat_by_day = np.bincount(chats.started_s // P.DAY, minlength=P.DAYS)[:P.DAYS]
    home_views = rng.poisson(friends_total * 0.018 + 6 * chat_by_day + 0.02 * log.delivered_by_day)
    counts["daily_stats"] = write_table(out, "daily_stats", pd.DataFrame({
        "date": format_days(days),
        "friends_total": friends_total,
        "added": added_by_day,
        "blocked": np.bincount(blocked_in // P.DAY, minlength=P.DAYS)[:P.DAYS],
        "messages_delivered": log.delivered_by_day,
        "message_clicks": log.clicks_by_day,
        "chat_requests": chat_by_day,
        "channel_home_views": home_views,
    }))

    still_friends = np.flatnonzero((friends.added_s < horizon) & (friends.blocked_s >= horizon))
    incident_rows = make_incidents(rng, still_friends)
    incidents = pd.DataFrame(incident_rows)
    incidents["at"] = format_times(incidents.pop("at_s").to_numpy())
    friend_index = incidents.pop("friend_index")
    has_friend = friend_index.notna().to_numpy()
    incidents["friend_id"] = np.where(has_friend, friend_ids[np.where(has_friend, friend_index.fillna(0), 0).astype(int)], "")
    incidents["count"] = incidents["count"].astype("Int64")
    counts["incidents"] = write_table(out, "incidents", incidents)

    write_dictionary(out, seed, n_friends, counts)
    return counts
