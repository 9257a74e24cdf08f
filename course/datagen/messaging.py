"""Sending messages, one campaign at a time: deliveries, clicks, blocks, purchases and A/B tests.

Campaigns are simulated in time order. A campaign's rows are written only once nothing later can
change them (24 hours after it was sent), so the flags in ``deliveries`` always agree with
``friends.blocked_at`` while memory stays bounded by the campaigns of one day.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.stats import chisquare
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from . import params as P
from .people import Friends, Staff
from .schedule import Campaign, Experiment

RECENT_BUYER_DAYS = 90
MAX_ATTEMPTS = 2_000


@dataclass
class Sent:
    """One campaign after sending, waiting for its 24-hour window to close."""

    campaign: Campaign
    index: np.ndarray  # friends targeted
    delivered: np.ndarray
    clicked: np.ndarray
    click_s: np.ndarray
    will_buy: np.ndarray
    buy_delay_s: np.ndarray
    amount: np.ndarray


@dataclass
class MessageLog:
    """What the simulation hands back besides the deliveries it streamed out."""

    n_targeted: dict[str, int]
    n_delivered: dict[str, int]
    order_friend: list[np.ndarray]
    order_s: list[np.ndarray]
    order_amount: list[np.ndarray]
    order_campaign: list[np.ndarray]
    experiment_rows: list[dict]
    delivered_by_day: np.ndarray
    clicks_by_day: np.ndarray
    complaint_triggers: list[tuple[np.ndarray, int, str]]  # (friends, sent_s, "night" | "no_label")


def _two_sided_p(clicks: tuple[int, int], sizes: tuple[int, int]) -> float:
    if min(sizes) == 0 or sum(clicks) == 0:
        return 1.0
    return float(proportions_ztest(np.array(clicks), np.array(sizes), alternative="two-sided")[1])


def _story_holds(experiment: Experiment, clicks: list[int], sizes: list[int]) -> bool:
    """The teaching story each test must tell on every seed."""
    rates = [c / n if n else 0.0 for c, n in zip(clicks, sizes)]
    if experiment.story in ("clean", "tone"):
        return rates[1] > rates[0] and _two_sided_p((clicks[1], clicks[0]), (sizes[1], sizes[0])) < 0.01
    if experiment.story == "underpowered":
        return rates[1] >= rates[0] and _two_sided_p((clicks[1], clicks[0]), (sizes[1], sizes[0])) > 0.2
    if experiment.story == "multiple":
        raw = [_two_sided_p((clicks[k], clicks[0]), (sizes[k], sizes[0])) for k in (1, 2, 3)]
        adjusted = multipletests(raw, alpha=0.05, method="holm")[1]
        real_winner = rates[1] > rates[0] and adjusted[0] < 0.05
        tempting_false = any(raw[k] < 0.05 and adjusted[k] >= 0.05 and rates[k + 1] > rates[0] for k in (1, 2))
        return bool(real_winner and tempting_false)
    if experiment.story == "srm":
        srm_p = chisquare(sizes).pvalue
        naive = _two_sided_p((clicks[1], clicks[0]), (sizes[1], sizes[0]))
        return bool(srm_p < P.SRM_THRESHOLD and rates[1] > rates[0] and naive < 0.05)
    raise ValueError(experiment.story)


class MessageSimulation:
    def __init__(self, rng: np.random.Generator, friends: Friends, staff: Staff,
                 organic_friend: np.ndarray, organic_s: np.ndarray,
                 write_deliveries: Callable[[Sent, np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]):
        self.rng = rng
        self.friends = friends
        self.staff = staff
        self.organic_friend = organic_friend
        self.organic_s = organic_s
        self.organic_pointer = 0
        self.future_friend = np.zeros(0, dtype=np.int64)  # message orders not yet placed
        self.future_s = np.zeros(0, dtype=np.int64)
        self.last_order_s = np.full(len(friends), -10 * P.DAYS * P.DAY, dtype=np.int64)
        self.received = np.zeros(len(friends), dtype=np.int16)  # deliveries in the last 7 days
        self.recent: deque[tuple[int, np.ndarray]] = deque()
        self.pending: deque[Sent] = deque()
        self.write_deliveries = write_deliveries
        self.experiment_plan: dict[str, dict[str, np.ndarray]] = {}
        self.log = MessageLog({}, {}, [], [], [], [], [], np.zeros(P.DAYS, np.int64), np.zeros(P.DAYS, np.int64), [])

    # ----- audience -------------------------------------------------------------------------
    def _active(self, t: int) -> np.ndarray:
        f = self.friends
        return (f.added_s <= t) & (f.blocked_s > t)

    def _advance_orders(self, t: int) -> None:
        end = np.searchsorted(self.organic_s, t, side="left")
        if end > self.organic_pointer:
            sl = slice(self.organic_pointer, end)
            np.maximum.at(self.last_order_s, self.organic_friend[sl], self.organic_s[sl])
            self.organic_pointer = end
        placed = self.future_s < t
        if placed.any():
            np.maximum.at(self.last_order_s, self.future_friend[placed], self.future_s[placed])
            self.future_friend, self.future_s = self.future_friend[~placed], self.future_s[~placed]

    def _audience(self, campaign: Campaign, t: int) -> np.ndarray:
        f = self.friends
        mask = self._active(t)
        if campaign.is_ad:
            mask &= f.ad_consent  # ads go to the friend group of members with marketing consent in the shop's CRM
        kind, _, value = campaign.audience.partition(":")
        if kind == "interest":
            mask &= f.interest == P.INTERESTS.index(value)
        elif kind == "recent_buyers":
            mask &= self.last_order_s >= t - RECENT_BUYER_DAYS * P.DAY
        elif kind == "demo":
            mask &= (f.gender == P.GENDERS.index("여성")) & (f.age_band == P.AGE_BANDS.index("30대"))
        return np.flatnonzero(mask)

    # ----- probabilities --------------------------------------------------------------------
    def _click_probability(self, campaign: Campaign, index: np.ndarray) -> np.ndarray:
        weekday = (campaign.sent_s // P.DAY + 4) % 7
        p = (P.MSG_TYPE_CLICK[campaign.msg_type] * P.HOUR_CLICK.get(campaign.hour, 0.8)
             * (P.WEEKEND_CLICK if weekday >= 5 else 1.0) * (P.AD_CLICK if campaign.is_ad else 1.0)
             * self.staff.click_factor[campaign.author]
             * (P.TARGETED_CLICK if campaign.targeted and campaign.experiment is None else 1.0)
             * (campaign.arm.click if campaign.arm else 1.0))
        return np.minimum(p * self.friends.click_propensity[index], 0.9)

    def _block_probability(self, campaign: Campaign, index: np.ndarray) -> np.ndarray:
        fatigue = np.asarray(P.FATIGUE_BLOCK)[np.minimum(self.received[index], len(P.FATIGUE_BLOCK) - 1)]
        p = P.BASE_BLOCK * fatigue * self.friends.block_propensity[index]
        if campaign.is_ad:
            p = p * P.AD_BLOCK
            if campaign.ad_night:  # every night ad went out unlabelled: the night factor stands for both
                p = p * P.NIGHT_AD_BLOCK
            elif not campaign.has_ad_label:
                p = p * P.NO_LABEL_BLOCK
        return np.minimum(p, 0.5)

    def _draw_clicks(self, rng: np.random.Generator, campaign: Campaign, index: np.ndarray):
        delivered = rng.random(len(index)) >= P.DELIVERY_FAILURE
        clicked = delivered & (rng.random(len(index)) < self._click_probability(campaign, index))
        # Most clicks come within the hour; none after 24 hours.
        delay = np.minimum(rng.lognormal(np.log(35 * 60), 1.1, len(index)), P.DAY - 60).astype(np.int64)
        click_s = campaign.sent_s + delay
        clicked &= click_s < self.friends.blocked_s[index]
        return delivered, clicked, click_s

    # ----- A/B tests ------------------------------------------------------------------------
    def _plan_experiment(self, experiment: Experiment, arms: list[Campaign], seed: int) -> None:
        """Assign friends to arms and draw their clicks until the test tells its story."""
        first = arms[0]
        self._advance_orders(first.sent_s)
        audience = self._audience(first, first.sent_s)
        for attempt in range(MAX_ATTEMPTS):
            rng = np.random.default_rng([seed, int(experiment.experiment_id[3:]), attempt])
            chosen = rng.permutation(audience)[: min(experiment.sample_size, len(audience))]
            shares = np.cumsum([arm.arm.share for arm in arms])
            cut = np.round(shares * len(chosen)).astype(int)
            groups = np.split(chosen, cut[:-1])
            if experiment.story == "srm":
                # A delivery bug silently dropped friends on an old app version from arm B,
                # and those friends rarely click: B looks better than it is.
                b = groups[1]
                weak = self.friends.click_propensity[b] < np.quantile(self.friends.click_propensity[b], 0.35)
                groups[1] = b[~(weak & (rng.random(len(b)) < 0.30))]
            plan, clicks, sizes = {}, [], []
            for campaign, group in zip(arms, groups):
                group = np.sort(group[self.friends.blocked_s[group] > campaign.sent_s])
                delivered, clicked, click_s = self._draw_clicks(rng, campaign, group)
                plan[campaign.campaign_id] = {"index": group, "delivered": delivered, "clicked": clicked,
                                              "click_s": click_s}
                clicks.append(int(clicked.sum()))
                sizes.append(int(delivered.sum()))
            if _story_holds(experiment, clicks, sizes):
                self.experiment_plan.update(plan)
                return
        raise RuntimeError(f"{experiment.experiment_id}: no draw told the story in {MAX_ATTEMPTS} attempts")

    # ----- the main loop --------------------------------------------------------------------
    def run(self, campaigns: list[Campaign], seed: int) -> MessageLog:
        by_experiment: dict[str, list[Campaign]] = {}
        for campaign in campaigns:
            if campaign.experiment:
                by_experiment.setdefault(campaign.experiment.experiment_id, []).append(campaign)
        planned: set[str] = set()
        for campaign in campaigns:
            t = campaign.sent_s
            self._flush(before=t)
            self._forget_old(t)
            if campaign.experiment and campaign.experiment.experiment_id not in planned:
                self._plan_experiment(campaign.experiment, by_experiment[campaign.experiment.experiment_id], seed)
                planned.add(campaign.experiment.experiment_id)
            self._send(campaign)
        self._flush(before=None)
        return self.log

    def _forget_old(self, t: int) -> None:
        while self.recent and self.recent[0][0] <= t - 7 * P.DAY:
            _, index = self.recent.popleft()
            self.received[index] -= 1

    def _send(self, campaign: Campaign) -> None:
        rng, t = self.rng, campaign.sent_s
        self._advance_orders(t)
        if campaign.campaign_id in self.experiment_plan:
            plan = self.experiment_plan.pop(campaign.campaign_id)
            index, delivered, clicked, click_s = plan["index"], plan["delivered"], plan["clicked"], plan["click_s"]
        else:
            index = self._audience(campaign, t)
            delivered, clicked, click_s = self._draw_clicks(rng, campaign, index)

        blocks = delivered & (rng.random(len(index)) < self._block_probability(campaign, index))
        block_s = t + 60 + np.minimum(rng.exponential(3 * P.HOUR, len(index)), P.DAY - 180).astype(np.int64)
        # A friend who clicked and then blocked did so after the click.
        block_s = np.where(clicked & (block_s <= click_s), np.minimum(click_s + 60, t + P.DAY - 1), block_s)
        blocks &= block_s < P.DAYS * P.DAY  # the log ends on 10-31: later blocks are not in it
        hit = index[blocks]
        self.friends.blocked_s[hit] = np.minimum(self.friends.blocked_s[hit], block_s[blocks])

        will_buy = clicked & (rng.random(len(index)) < P.PURCHASE_GIVEN_CLICK * (P.AD_PURCHASE if campaign.is_ad else 1))
        buy_delay = np.minimum(rng.exponential(1.2 * P.DAY, len(index)), 7 * P.DAY - 3_600).astype(np.int64)
        amount = (np.round(rng.lognormal(np.log(P.ORDER_AMOUNT_MEDIAN), P.ORDER_AMOUNT_SIGMA, len(index)), -2)
                  .astype(np.int64))

        received_index = index[delivered]
        self.received[received_index] += 1
        self.recent.append((t, received_index))
        self.pending.append(Sent(campaign, index, delivered, clicked, click_s, will_buy, buy_delay, amount))

    def _flush(self, before: int | None) -> None:
        while self.pending and (before is None or self.pending[0].campaign.sent_s + P.DAY <= before):
            self._finish(self.pending.popleft())

    def _finish(self, sent: Sent) -> None:
        campaign, index = sent.campaign, sent.index
        t = campaign.sent_s
        blocked_s = self.friends.blocked_s[index]
        blocked_24h = sent.delivered & (blocked_s >= t) & (blocked_s < t + P.DAY)
        clicked = sent.clicked & (sent.click_s < blocked_s)
        order_s = sent.click_s + sent.buy_delay_s
        purchased = clicked & sent.will_buy & (order_s < P.DAYS * P.DAY)  # the log ends on 10-31
        amount = np.where(purchased, sent.amount, 0)

        self.write_deliveries(sent, clicked, blocked_24h, purchased, amount)

        day = t // P.DAY
        self.log.n_targeted[campaign.campaign_id] = len(index)
        self.log.n_delivered[campaign.campaign_id] = int(sent.delivered.sum())
        self.log.delivered_by_day[day] += int(sent.delivered.sum())
        self.log.clicks_by_day[day] += int(clicked.sum())
        buyers = index[purchased]
        self.log.order_friend.append(buyers)
        self.log.order_s.append(order_s[purchased])
        self.log.order_amount.append(amount[purchased])
        self.log.order_campaign.append(np.full(len(buyers), campaign.campaign_id))
        self.future_friend = np.concatenate([self.future_friend, buyers])
        self.future_s = np.concatenate([self.future_s, order_s[purchased]])

        if campaign.ad_night:
            self.log.complaint_triggers.append((index[sent.delivered], t, "night"))
        elif campaign.is_ad and not campaign.has_ad_label:
            self.log.complaint_triggers.append((index[sent.delivered], t, "no_label"))

        if campaign.experiment:
            exposed = sent.delivered
            self.log.experiment_rows.append({
                "experiment_id": campaign.experiment.experiment_id,
                "experiment": campaign.experiment.name,
                "arm": campaign.arm.arm,
                "variant": campaign.arm.variant,
                "planned_share": campaign.arm.share,
                "friend_index": index[exposed],
                "campaign_id": campaign.campaign_id,
                "clicked": clicked[exposed],
                "purchased_7d": purchased[exposed],
                "blocked_24h": blocked_24h[exposed],
            })
