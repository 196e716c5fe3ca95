using Flock.Operator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Informers;

/// <summary>
/// List-then-watch cache of one kind (client-go's reflector + store). It watches from the list's
/// resourceVersion with bookmarks, resumes from the last version it saw when a watch ends, and on
/// 410 Gone lists again and hands the handlers the difference (adds, updates, deletes), so no change
/// is lost however the connection behaves. A watch that goes silent longer than its own timeout is
/// cancelled and resumed (a dropped TCP connection otherwise hangs forever).
/// </summary>
public sealed partial class Informer<T> : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubeRestClient _client;
    private readonly ResourceKind _kind;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<T, T> _transform;
    private readonly List<IInformerHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _lastResourceVersion = "";
    private long _relists;
    private long _watchRestarts;

    /// <param name="transform">Applied to every object before it is cached (controller-runtime's cache
    /// transform): drop what the operator must not or need not keep, such as Secret values.</param>
    public Informer(KubeRestClient client, ResourceKind kind, InformerOptions options, ILogger logger, TimeProvider time, Func<T, T>? transform = null)
    {
        _transform = transform ?? (o => o);
        _client = client;
        _kind = kind;
        _options = options;
        _logger = logger;
        _time = time;
    }

    public ObjectCache<T> Cache { get; } = new();

    public ResourceKind Kind => _kind;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Lists made so far (the first, and one per 410 Gone).</summary>
    public long Relists => Interlocked.Read(ref _relists);

    /// <summary>Watches started again after one ended, failed or went silent.</summary>
    public long WatchRestarts => Interlocked.Read(ref _watchRestarts);

    public Task WaitForSyncAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    /// <summary>Registers a handler; register before <see cref="RunAsync"/> so it sees the first list.</summary>
    public void AddHandler(IInformerHandler<T> handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var retryDelay = _options.InitialRetryDelay;
        var needList = true;
        using var resync = StartResync(ct);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(ct).ConfigureAwait(false);
                    needList = false;
                }

                await WatchAsync(ct).ConfigureAwait(false);
                retryDelay = _options.InitialRetryDelay;
                Interlocked.Increment(ref _watchRestarts);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                LogExpired(_kind.ToString(), _lastResourceVersion);
                needList = true;
            }
            catch (Exception e)
            {
                LogWatchFailed(e, _kind.ToString(), retryDelay);
                Interlocked.Increment(ref _watchRestarts);
                try
                {
                    await Task.Delay(retryDelay, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task ListAndReplaceAsync(CancellationToken ct)
    {
        var listed = new List<T>();
        string? next = null;
        string resourceVersion;
        do
        {
            var page = await _client.ListAsync<T>(_kind, _options.Namespace,
                new ListOptions(_options.LabelSelector, Limit: _options.PageSize, Continue: next), ct).ConfigureAwait(false);
            listed.AddRange(page.Items);
            next = page.Continue;
            resourceVersion = page.ResourceVersion;
        }
        while (next is not null);

        Interlocked.Increment(ref _relists);
        var seen = new HashSet<ObjectKey>();
        foreach (var obj in listed)
        {
            seen.Add(ObjectKey.Of(obj));
            Apply(WatchEventKind.Added, obj);
        }

        // Whatever the cache holds that the list no longer has was deleted while we were not watching.
        foreach (var key in Cache.Keys().Where(k => !seen.Contains(k)))
        {
            if (Cache.Remove(key) is { } gone) Notify(h => h.OnDelete(gone));
        }

        _lastResourceVersion = resourceVersion;
        _synced.TrySetResult();
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        var timeoutSeconds = (int)(_options.MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Silence longer than the server's own timeout means the connection is gone, not quiet.
        var idleLimit = TimeSpan.FromSeconds(timeoutSeconds + 30);
        using var idleTimer = _time.CreateTimer(_ => watchdog.Cancel(), null, idleLimit, Timeout.InfiniteTimeSpan);
        var options = new WatchOptions(_lastResourceVersion, AllowBookmarks: true, TimeoutSeconds: timeoutSeconds, LabelSelector: _options.LabelSelector);
        try
        {
            await foreach (var e in _client.WatchAsync<T>(_kind, _options.Namespace, options, watchdog.Token).ConfigureAwait(false))
            {
                idleTimer.Change(idleLimit, Timeout.InfiniteTimeSpan);
                switch (e.Kind)
                {
                    case WatchEventKind.Error when e.Status?.Code == 410 || e.Status?.Reason is "Expired" or "Gone":
                        throw new KubeApiException(System.Net.HttpStatusCode.Gone, e.Status, e.Status?.Message ?? "watch expired");
                    case WatchEventKind.Error:
                        throw new InvalidOperationException($"watch error: {e.Status?.Code} {e.Status?.Reason}: {e.Status?.Message}");
                    case WatchEventKind.Bookmark:
                        if (e.ResourceVersion is { } rv) _lastResourceVersion = rv;
                        break;
                    default:
                        Apply(e.Kind, e.Object!);
                        if (e.ResourceVersion is { } objectRv) _lastResourceVersion = objectRv;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogWatchIdle(_kind.ToString(), idleLimit);
        }
    }

    private void Apply(WatchEventKind kind, T obj)
    {
        obj = _transform(obj);
        if (kind == WatchEventKind.Deleted)
        {
            var removed = Cache.Remove(ObjectKey.Of(obj));
            Notify(h => h.OnDelete(removed ?? obj));
            return;
        }

        var old = Cache.Upsert(obj);
        if (old is null) Notify(h => h.OnAdd(obj));
        else if (old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion) Notify(h => h.OnUpdate(old, obj));
    }

    private void Notify(Action<IInformerHandler<T>> call)
    {
        IInformerHandler<T>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        foreach (var handler in handlers)
        {
            try
            {
                call(handler);
            }
            catch (Exception e)
            {
                LogHandlerFailed(e, _kind.ToString());
            }
        }
    }

    private ITimer? StartResync(CancellationToken ct)
    {
        if (_options.ResyncPeriod is not { } period) return null;
        return _time.CreateTimer(_ =>
        {
            if (ct.IsCancellationRequested || !HasSynced) return;
            foreach (var obj in Cache.List()) Notify(h => h.OnUpdate(obj, obj));
        }, null, period, period);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Kind} expired at resourceVersion {ResourceVersion}; listing again")]
    private partial void LogExpired(string kind, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "list/watch of {Kind} failed; retrying in {Delay}")]
    private partial void LogWatchFailed(Exception e, string kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watch of {Kind} silent for {Limit}; reconnecting")]
    private partial void LogWatchIdle(string kind, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "an event handler of the {Kind} informer failed")]
    private partial void LogHandlerFailed(Exception e, string kind);
}

/// <summary>What a manager needs of any informer: run it, know when it is synced.</summary>
public interface IInformer
{
    ResourceKind Kind { get; }
    bool HasSynced { get; }

    /// <summary>Lists made so far (for the informer relists metric).</summary>
    long Relists { get; }

    /// <summary>Watches started again (for the informer watch restarts metric).</summary>
    long WatchRestarts { get; }
    Task RunAsync(CancellationToken ct);
    Task WaitForSyncAsync(CancellationToken ct);
}
