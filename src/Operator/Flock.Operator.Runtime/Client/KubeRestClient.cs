using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Client;

/// <summary>
/// A small REST client for any kind, on the KubernetesClient connection (its HttpClient, TLS and
/// credentials). The generated per-kind methods cannot pass every watch parameter an informer needs
/// (resourceVersion, bookmarks, timeoutSeconds) for core and custom kinds alike; this one can.
/// </summary>
/// <param name="fieldManager">Who the writes are from: server-side apply's field manager, also the component of the Events the runtime records.</param>
/// <param name="json">How custom resources are written and read; <see cref="KubeJson.Default"/> when not given.</param>
public sealed class KubeRestClient(IKubernetes kubernetes, string fieldManager, KubeJson? json = null)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly Kubernetes _connection = kubernetes as Kubernetes
        ?? throw new ArgumentException("a k8s.Kubernetes connection is needed", nameof(kubernetes));

    public string FieldManager { get; } = fieldManager;

    public KubeJson Json { get; } = json ?? KubeJson.Default;

    public async Task<T?> TryGetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct)
    {
        try
        {
            return await GetAsync<T>(kind, ns, name, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return default;
        }
    }

    public async Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct)
    {
        var json = await SendAsync(HttpMethod.Get, kind.ObjectPath(ns, name), null, null, ct).ConfigureAwait(false);
        return Json.Deserialize<T>(json);
    }

    public async Task<ObjectList<T>> ListAsync<T>(ResourceKind kind, string? ns, ListOptions options, CancellationToken ct)
    {
        var query = new QueryBuilder()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
        var json = await SendAsync(HttpMethod.Get, kind.CollectionPath(ns) + query, null, null, ct).ConfigureAwait(false);
        var list = JsonNode.Parse(json)!;
        var items = list["items"]?.AsArray().Select(i => Json.Deserialize<T>(i!)).ToList() ?? [];
        return new ObjectList<T>(items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "",
            list["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } next ? next : null);
    }

    /// <summary>Streams watch events until the server ends the watch or <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, string? ns, WatchOptions options,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("resourceVersion", options.ResourceVersion)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector);
        using var request = new HttpRequestMessage(HttpMethod.Get, Uri(kind.CollectionPath(ns) + query));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            yield return ParseEvent<T>(line);
        }
    }

    public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T value, CancellationToken ct) =>
        WriteAsync<T>(HttpMethod.Post, kind.CollectionPath(ns) + ManagerQuery(), Json.Serialize(value), "application/json", ct);

    public Task<T> ReplaceAsync<T>(ResourceKind kind, string? ns, string name, T value, CancellationToken ct) =>
        WriteAsync<T>(HttpMethod.Put, kind.ObjectPath(ns, name) + ManagerQuery(), Json.Serialize(value), "application/json", ct);

    public Task<T> ReplaceStatusAsync<T>(ResourceKind kind, string? ns, string name, T value, CancellationToken ct) =>
        WriteAsync<T>(HttpMethod.Put, kind.ObjectPath(ns, name, "status") + ManagerQuery(), Json.Serialize(value), "application/json", ct);

    /// <summary>A JSON merge patch (no resourceVersion in the body: last writer wins for the named fields).</summary>
    public Task<T> MergePatchAsync<T>(ResourceKind kind, string? ns, string name, JsonNode patch, CancellationToken ct, string? subresource = null) =>
        WriteAsync<T>(HttpMethod.Patch, kind.ObjectPath(ns, name, subresource) + ManagerQuery(), patch.ToJsonString(), "application/merge-patch+json", ct);

    /// <summary>Server-side apply of the fields this operator owns, forcing ownership as controllers do.</summary>
    public Task<T> ApplyAsync<T>(ResourceKind kind, string? ns, string name, T value, CancellationToken ct, string? subresource = null) =>
        WriteAsync<T>(HttpMethod.Patch, kind.ObjectPath(ns, name, subresource) + ManagerQuery().Add("force", "true"),
            Json.Serialize(value), "application/apply-patch+yaml", ct);

    /// <summary>Deletes the object; a missing object counts as deleted.</summary>
    public async Task DeleteAsync(ResourceKind kind, string? ns, string name, CancellationToken ct, string propagation = "Background")
    {
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = propagation };
        try
        {
            await SendAsync(HttpMethod.Delete, kind.ObjectPath(ns, name), body.ToJsonString(), "application/json", ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    private QueryBuilder ManagerQuery() => new QueryBuilder().Add("fieldManager", FieldManager);

    private async Task<T> WriteAsync<T>(HttpMethod method, string pathAndQuery, string body, string contentType, CancellationToken ct)
    {
        var json = await SendAsync(method, pathAndQuery, body, contentType, ct).ConfigureAwait(false);
        return Json.Deserialize<T>(json);
    }

    private async Task<string> SendAsync(HttpMethod method, string pathAndQuery, string? body, string? contentType, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, Uri(pathAndQuery));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_connection.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        }

        var response = await _connection.HttpClient.SendAsync(request, completion, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw ToException(response.StatusCode, text, request);
        }
    }

    private static KubeApiException ToException(HttpStatusCode code, string body, HttpRequestMessage request)
    {
        V1Status? status = null;
        try
        {
            status = KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (JsonException)
        {
        }

        // The message names the method and path only: query strings and bodies may carry data that is not ours to log.
        var message = $"{request.Method} {request.RequestUri?.AbsolutePath}: {(int)code} {status?.Reason ?? code.ToString()}: {status?.Message ?? "no status body"}";
        return new KubeApiException(code, status, message);
    }

    private WatchEvent<T> ParseEvent<T>(string line)
    {
        var node = JsonNode.Parse(line)!;
        var type = node["type"]?.GetValue<string>() ?? "ERROR";
        var obj = node["object"];
        return type switch
        {
            "ERROR" => new WatchEvent<T>(WatchEventKind.Error, default, obj is null ? null : KubernetesJson.Deserialize<V1Status>(obj.ToJsonString()), null),
            "BOOKMARK" => new WatchEvent<T>(WatchEventKind.Bookmark, default, null, obj?["metadata"]?["resourceVersion"]?.GetValue<string>()),
            _ => new WatchEvent<T>(ParseKind(type), Json.Deserialize<T>(obj!), null,
                obj?["metadata"]?["resourceVersion"]?.GetValue<string>()),
        };
    }

    private static WatchEventKind ParseKind(string type) => type switch
    {
        "ADDED" => WatchEventKind.Added,
        "MODIFIED" => WatchEventKind.Modified,
        "DELETED" => WatchEventKind.Deleted,
        _ => throw new JsonException($"unknown watch event type {type}"),
    };

    private Uri Uri(string pathAndQuery) => new(_connection.BaseUri, pathAndQuery.TrimStart('/'));
}
