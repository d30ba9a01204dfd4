import { followSession, formatNumber, params } from './widget.js';

// type  which of the channel's goals: follower, subscription, subscription_count, new_subscription,
//       new_subscription_count, new_bit, new_cheerer (default: the goal updated last)
// A goal that has ended stays on screen with its final amount until a new one begins.
const wanted = params.get('type');
const NAMES = {
  follower: 'Follower goal',
  subscription: 'Sub goal',
  subscription_count: 'Sub goal',
  new_subscription: 'New sub goal',
  new_subscription_count: 'New sub goal',
  new_bit: 'Bits goal',
  new_cheerer: 'Cheerer goal',
};

const box = document.getElementById('goal');
const bar = document.getElementById('goal-bar');
const fill = document.getElementById('goal-fill');

followSession(['channel.goal.begin', 'channel.goal.progress', 'channel.goal.end'], (session) => {
  const goals = session.goals.filter((goal) => !wanted || goal.goalType === wanted);
  const goal = goals.filter((g) => !g.ended).at(-1) ?? goals.at(-1);
  box.hidden = !goal;
  if (!goal) return;
  const share = goal.targetAmount > 0 ? Math.min(goal.currentAmount / goal.targetAmount, 1) : 0;
  document.getElementById('goal-description').textContent =
    goal.description || NAMES[goal.goalType] || 'Goal';
  document.getElementById('goal-amounts').textContent =
    `${formatNumber(goal.currentAmount)} / ${formatNumber(goal.targetAmount)}` +
    (goal.ended ? (goal.achieved ? ' — reached!' : ' — ended') : '');
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  bar.setAttribute('aria-valuemax', String(goal.targetAmount));
  bar.setAttribute('aria-valuenow', String(Math.min(goal.currentAmount, goal.targetAmount)));
  box.classList.toggle('goal-ended', goal.ended);
});
