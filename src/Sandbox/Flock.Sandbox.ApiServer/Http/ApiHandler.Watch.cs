using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.ApiServer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Flock.Sandbox.ApiServer.Http;

internal sealed partial class ApiHandler
{
    private static readonly byte[] AddedPrefix = "{\"type\":\"ADDED\",\"object\":"u8.ToArray();
    private static readonly byte[] ModifiedPrefix = "{\"type\":\"MODIFIED\",\"object\":"u8.ToArray();
    private static readonly byte[] DeletedPrefix = "{\"type\":\"DELETED\",\"object\":"u8.ToArray();
    private static readonly byte[] BookmarkPrefix = "{\"type\":\"BOOKMARK\",\"object\":"u8.ToArray();
    private static readonly byte[] ErrorPrefix = "{\"type\":\"ERROR\",\"object\":"u8.ToArray();

    /// <summary>
    /// A watch stream: newline-delimited watch events. resourceVersion unset or "0" starts with synthetic
    /// ADDED events for the current state; any other value replays the retained history after it (an
    /// ERROR event with a 410 Expired Status when it is older). An object that stops matching the
    /// selectors is sent as DELETED (its previous state), one that starts matching as ADDED, as the
    /// watch cache does.
    /// </summary>
    private async Task WatchAsync(HttpContext ctx, RequestInfo info, IQueryCollection q)
    {
        var r = info.Resource;
        var labels = LabelSelector.Parse(q["labelSelector"].ToString());
        var fields = FieldSelector.Parse(q["fieldSelector"].ToString(), r);
        var rvText = q["resourceVersion"].ToString();
        var bookmarks = IsTrue(q["allowWatchBookmarks"]);
        var sendInitialEvents = IsTrue(q["sendInitialEvents"]);
        long? from = null;
        if (rvText.Length > 0 && rvText != "0" && !sendInitialEvents)
        {
            if (!long.TryParse(rvText, out var parsed)) throw Errors.BadRequest($"invalid resource version: {rvText}");
            from = parsed;
        }

        var timeout = _options.MaxWatchTimeout;
        if (long.TryParse(q["timeoutSeconds"].ToString(), out var ts) && ts > 0) timeout = TimeSpan.FromSeconds(ts);
        if (info.Name is not null) fields = FieldSelector.Parse($"metadata.name={info.Name}", r);

        var tableVersion = TableConverter.NegotiateTableVersion(ctx.Request.Headers.Accept.ToString());
        var table = _m.Store.Table(r);
        var watcher = table.Watch(from, r.Namespaced ? info.Namespace : null, _options.WatchQueueCapacity);
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-cache, private";
        await ctx.Response.StartAsync(ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        cts.CancelAfter(timeout);
        var ct = cts.Token;
        Task? bookmarkLoop = null;
        if (bookmarks)
        {
            bookmarkLoop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(_options.BookmarkInterval);
                try
                {
                    while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) table.Bookmark(watcher);
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);
        }

        var initialEndPending = sendInitialEvents && watcher.InitialEventsEndRv is not null;
        var reader = watcher.Channel.Reader;
        // Events are copied into the response pipe as they are read and flushed once per batch.
        var body = ctx.Response.BodyWriter;
        var firstTable = true;
        try
        {
            if (initialEndPending && reader.Count == 0)
            {
                WriteBookmark(body, r, watcher.InitialEventsEndRv!.Value, true);
                initialEndPending = false;
                await body.FlushAsync(ct).ConfigureAwait(false);
            }

            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var e))
                {
                    if (e.Type == StoreEventType.Error)
                    {
                        WriteEvent(body, ErrorPrefix, Json.ToBytes(e.ErrorStatus!));
                        continue;
                    }

                    if (e.Type == StoreEventType.Bookmark)
                    {
                        if (bookmarks && !initialEndPending) WriteBookmark(body, r, e.ResourceVersion, false);
                        continue;
                    }

                    var (prefix, obj) = Convert(e, watcher.Namespace, labels, fields);
                    if (prefix is not null)
                    {
                        var bytes = obj!.Bytes;
                        if (tableVersion is not null)
                        {
                            var t = TableConverter.Convert(r, [ApiMachinery.ForVersion(r, obj.CloneObject())], new TableOptions
                            {
                                TableApiVersion = tableVersion,
                                ResourceVersion = obj.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                                NoHeaders = !firstTable,
                                IncludeObject = TableConverter.ParseIncludeObject(q["includeObject"].ToString()),
                                Now = _clock.GetUtcNow(),
                            });
                            firstTable = false;
                            bytes = Json.ToBytes(t);
                        }
                        else if (r.IsCustom && Json.Str(obj.Object, "apiVersion") != r.ApiVersion)
                        {
                            bytes = Json.ToBytes(ApiMachinery.ForVersion(r, obj.CloneObject()));
                        }

                        WriteEvent(body, prefix, bytes);
                    }

                    if (initialEndPending && reader.Count == 0 && e.ResourceVersion <= watcher.InitialEventsEndRv)
                    {
                        WriteBookmark(body, r, watcher.InitialEventsEndRv!.Value, true);
                        initialEndPending = false;
                    }
                }

                var flushed = await body.FlushAsync(ct).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            table.StopWatch(watcher);
            await cts.CancelAsync().ConfigureAwait(false);
            if (bookmarkLoop is not null) await bookmarkLoop.ConfigureAwait(false);
        }
    }

    private static (byte[]? Prefix, StoredObject? Obj) Convert(StoreEvent e, string? ns, LabelSelector labels, FieldSelector fields)
    {
        bool Passes(StoredObject? o) => o is not null && (string.IsNullOrEmpty(ns) || o.Namespace == ns) &&
                                        (labels.IsEverything || labels.Matches(o.Labels)) && (fields.IsEverything || fields.Matches(o.Object));

        var cur = e.Type != StoreEventType.Deleted && Passes(e.Object);
        var old = e.Previous is not null && Passes(e.Previous);
        if (e.Type == StoreEventType.Deleted) return old ? (DeletedPrefix, e.Object) : (null, null);
        return (cur, old) switch
        {
            (true, false) => (AddedPrefix, e.Object),
            (true, true) => (ModifiedPrefix, e.Object),
            (false, true) => (DeletedPrefix, WithVersion(e.Previous!, e.ResourceVersion)),
            _ => (null, null),
        };
    }

    private static StoredObject WithVersion(StoredObject previous, long rv)
    {
        var obj = previous.CloneObject();
        Json.Meta(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        return new StoredObject(obj, rv);
    }

    private static void WriteEvent(System.IO.Pipelines.PipeWriter body, byte[] prefix, byte[] obj)
    {
        var span = body.GetSpan(prefix.Length + obj.Length + 2);
        prefix.CopyTo(span);
        obj.CopyTo(span[prefix.Length..]);
        span[prefix.Length + obj.Length] = (byte)'}';
        span[prefix.Length + obj.Length + 1] = (byte)'\n';
        body.Advance(prefix.Length + obj.Length + 2);
    }

    private static void WriteBookmark(System.IO.Pipelines.PipeWriter body, ApiResource r, long rv, bool initialEventsEnd)
    {
        // Typed (built-in) bookmarks carry Go's zero creationTimestamp as null; unstructured ones only the resourceVersion.
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (!r.IsCustom) meta["creationTimestamp"] = null;
        if (initialEventsEnd) meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        var obj = new JsonObject { ["kind"] = r.Kind, ["apiVersion"] = r.ApiVersion, ["metadata"] = meta };
        WriteEvent(body, BookmarkPrefix, Json.ToBytes(obj));
    }

    // ------------------------------------------------------------- pods/log

    private async Task PodLogAsync(HttpContext ctx, RequestInfo info)
    {
        var q = ctx.Request.Query;
        var pod = _m.Get(info.Resource, info.Namespace, info.Name!).Object;
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => Json.Str(c, "name") ?? "").ToList();
        var initContainers = (pod["spec"]?["initContainers"] as JsonArray ?? []).Select(c => Json.Str(c, "name") ?? "").ToList();
        var container = q["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count == 1) container = containers[0];
            else
            {
                var message = $"a container name must be specified for pod {info.Name}, choose one of: [{string.Join(" ", containers)}]";
                if (initContainers.Count > 0) message += $" or one of the init containers: [{string.Join(" ", initContainers)}]";
                throw Errors.BadRequest(message);
            }
        }
        else if (!containers.Contains(container) && !initContainers.Contains(container))
        {
            throw Errors.BadRequest($"container {container} is not valid for pod {info.Name}");
        }

        var follow = IsTrue(q["follow"]);
        var timestamps = IsTrue(q["timestamps"]);
        int? tail = int.TryParse(q["tailLines"].ToString(), out var t) ? t : null;
        long? limitBytes = long.TryParse(q["limitBytes"].ToString(), out var lb) ? lb : null;
        var (lines, more) = _logs.Read(info.Namespace ?? "", info.Name!, container, 0);
        var start = tail is { } n ? Math.Max(0, lines.Count - n) : 0;
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        long written = 0;
        var position = lines.Count;

        async Task<bool> WriteLinesAsync(IEnumerable<(DateTimeOffset At, string Line)> batch)
        {
            foreach (var (at, line) in batch)
            {
                var text = timestamps ? $"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffff'Z'", CultureInfo.InvariantCulture)} {line}\n" : line + "\n";
                var bytes = Encoding.UTF8.GetBytes(text);
                if (limitBytes is { } limit && written + bytes.Length > limit)
                {
                    await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, (int)(limit - written)), ctx.RequestAborted).ConfigureAwait(false);
                    return false;
                }

                written += bytes.Length;
                await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
            }

            return true;
        }

        if (!await WriteLinesAsync(lines.Skip(start)).ConfigureAwait(false) || !follow) return;
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        try
        {
            while (!ctx.RequestAborted.IsCancellationRequested)
            {
                await more.WaitAsync(ctx.RequestAborted).ConfigureAwait(false);
                if (_m.Store.Table(info.Resource).Get(info.Namespace, info.Name!) is null) return;
                (lines, more) = _logs.Read(info.Namespace ?? "", info.Name!, container, position);
                position += lines.Count;
                if (!await WriteLinesAsync(lines).ConfigureAwait(false)) return;
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
