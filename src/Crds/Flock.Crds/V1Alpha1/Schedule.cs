using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>Runs a one-shot training image as Jobs, spread over the day, until the task's submission phase ends.</summary>
public sealed record TrainingSchedule
{
    /// <summary>Runs (and so submissions) per day; FLock accepts at most 6.</summary>
    [Default("1"), Range(1, 6)]
    public int SubmissionsPerDay { get; init; } = 1;
}
