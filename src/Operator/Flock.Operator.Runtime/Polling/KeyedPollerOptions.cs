namespace Flock.Operator.Runtime.Polling;

public sealed record KeyedPollerOptions
{
    /// <summary>Time between two polls of one key, however many objects name it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Random spread of each interval (± this fraction), so keys added together do not poll in lockstep.</summary>
    public double Jitter { get; init; }

    /// <summary>First retry after a failed poll; doubles with each failure in a row, up to the poll interval.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(2);
}
