using System.Collections.Concurrent;

namespace Flock.Sandbox.FlockApi;

/// <summary>The simulated tasks by id, and how often each was read (a test proves the operator's call count with it).</summary>
internal sealed class TaskBoard
{
    private readonly ConcurrentDictionary<long, SimulatedTask> _tasks = new();
    private readonly ConcurrentDictionary<long, int> _reads = new();

    public void Add(SimulatedTask task)
    {
        if (!TaskTypes.All.Contains(task.TaskType))
        {
            throw new ArgumentException($"task_type '{task.TaskType}' is none of {string.Join(", ", TaskTypes.All)}", nameof(task));
        }

        _tasks[task.Id] = task;
    }

    public SimulatedTask? Get(long id) => _tasks.GetValueOrDefault(id);

    public IReadOnlyList<SimulatedTask> All => [.. _tasks.Values.OrderBy(t => t.Id)];

    public void CountRead(long id) => _reads.AddOrUpdate(id, 1, (_, n) => n + 1);

    public int Reads(long id) => _reads.GetValueOrDefault(id);

    public int TotalReads => _reads.Values.Sum();

    public void ResetReads() => _reads.Clear();
}
