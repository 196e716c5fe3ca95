namespace Flock.Operator.Workers;

/// <summary>
/// A time slot of a scheduled worker: the day is cut into submissionsPerDay equal slots, numbered
/// from the Unix epoch, so every replica of the operator computes the same slot and names the same Job.
/// </summary>
public readonly record struct RunSlot(long Id, TimeSpan Period)
{
    public DateTimeOffset Start => DateTimeOffset.UnixEpoch + Period * Id;

    public DateTimeOffset End => Start + Period;

    public static RunSlot At(DateTimeOffset now, int perDay)
    {
        if (perDay is < 1 or > 6) throw new ArgumentOutOfRangeException(nameof(perDay), perDay, "FLock accepts 1 to 6 submissions a day");
        var period = TimeSpan.FromDays(1) / perDay;
        return new RunSlot((now - DateTimeOffset.UnixEpoch).Ticks / period.Ticks, period);
    }
}
