using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;

namespace Flock.Operator.Tests.Workers;

public sealed class ConditionSetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Transition_time_moves_only_when_the_status_flips()
    {
        var first = ConditionSet.Set(null, "Ready", ConditionStatus.False, "Provisioning", "starting", 1, T0);
        var sameStatus = ConditionSet.Set(first, "Ready", ConditionStatus.False, "Unschedulable", "no GPU", 2, T0.AddMinutes(5));
        var flipped = ConditionSet.Set(sameStatus, "Ready", ConditionStatus.True, "Running", "ok", 2, T0.AddMinutes(9));

        Assert.Equal(T0, Assert.Single(sameStatus).LastTransitionTime);
        Assert.Equal("Unschedulable", sameStatus[0].Reason);
        Assert.Equal(2, sameStatus[0].ObservedGeneration);
        Assert.Equal(T0.AddMinutes(9), Assert.Single(flipped).LastTransitionTime);
    }

    [Fact]
    public void Setting_the_same_condition_twice_yields_an_equal_list()
    {
        var once = ConditionSet.Set(null, "Staked", ConditionStatus.True, "StakeFound", "3 FML", 4, T0);
        var twice = ConditionSet.Set(once, "Staked", ConditionStatus.True, "StakeFound", "3 FML", 4, T0.AddHours(1));

        Assert.Equal(once, twice);
    }

    [Fact]
    public void Transition_times_are_kept_to_whole_seconds_like_metav1_time()
    {
        var set = ConditionSet.Set(null, "Ready", ConditionStatus.True, "Running", "ok", 1, T0.AddMilliseconds(750));

        Assert.Equal(T0, set[0].LastTransitionTime);
    }

    [Fact]
    public void Other_conditions_keep_their_order_and_values()
    {
        var list = ConditionSet.Set(null, "Ready", ConditionStatus.False, "A", "a", 1, T0);
        list = ConditionSet.Set(list, "Reconciling", ConditionStatus.True, "B", "b", 1, T0);
        list = ConditionSet.Set(list, "Ready", ConditionStatus.True, "C", "c", 1, T0);

        Assert.Equal(["Ready", "Reconciling"], list.Select(c => c.Type));
        Assert.Equal("B", ConditionSet.Find(list, "Reconciling")!.Reason);
        Assert.True(ConditionSet.IsTrue(list, "Ready"));
        Assert.Equal(["Ready"], ConditionSet.Remove(list, "Reconciling").Select(c => c.Type));
    }
}
