using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The result of a list: the matching objects at one resource version, and the next page's token.</summary>
public sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>Reads: get, and list with selectors, pagination and continue tokens.</summary>
internal sealed partial class ApiMachinery
{
    public StoredObject Get(ApiResource r, string? ns, string name) =>
        _store.Table(r).Get(r.Namespaced ? ns : null, name) ?? throw Errors.NotFound(r.Group, r.Plural, name);

    public ListResult List(ApiResource r, string? ns, ListOptions o)
    {
        var labels = LabelSelector.Parse(o.LabelSelector);
        var fields = FieldSelector.Parse(o.FieldSelector, r);
        var table = _store.Table(r);
        ns = r.Namespaced ? ns : null;
        List<StoredObject> items;
        long rv;
        string? startAfter = null;
        if (!string.IsNullOrEmpty(o.Continue))
        {
            (rv, startAfter) = DecodeContinue(o.Continue);
            items = table.SnapshotAt(ns, rv) ?? throw new ApiException(ContinueExpired(rv, startAfter));
        }
        else if (o.ResourceVersionMatch == "Exact" && long.TryParse(o.ResourceVersion, out var exact))
        {
            rv = exact;
            items = table.SnapshotAt(ns, rv) ?? throw Errors.Gone($"too old resource version: {exact} ({_store.CurrentResourceVersion})");
        }
        else
        {
            if (long.TryParse(o.ResourceVersion, out var min) && min > _store.CurrentResourceVersion)
            {
                var details = new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                    ["retryAfterSeconds"] = 1,
                };
                throw new ApiException(Errors.Status(504, "Timeout",
                    $"Too large resource version: {min}, current: {_store.CurrentResourceVersion}", details)) { RetryAfterSeconds = 1 };
            }

            (items, rv) = table.Snapshot(ns);
        }

        IEnumerable<StoredObject> query = items;
        if (startAfter is not null) query = query.Where(i => string.CompareOrdinal(i.Key, startAfter) > 0);
        if (!labels.IsEverything) query = query.Where(i => labels.Matches(i.Labels));
        if (!fields.IsEverything) query = query.Where(i => fields.Matches(i.Object));
        var all = query.ToList();
        if (o.Limit > 0 && all.Count > o.Limit)
        {
            var page = all.Take((int)o.Limit).ToList();
            var filtered = !labels.IsEverything || !fields.IsEverything;
            return new ListResult(page, rv, EncodeContinue(rv, page[^1].Key), filtered ? null : all.Count - page.Count);
        }

        return new ListResult(all, rv, null, null);
    }

    private JsonObject ContinueExpired(long rv, string start)
    {
        var s = Errors.Status(410, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        _ = rv;
        s["metadata"] = new JsonObject { ["continue"] = EncodeContinue(_store.CurrentResourceVersion, start) };
        return s;
    }

    internal static string EncodeContinue(long rv, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = lastKey + "\u0000" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    internal static (long Rv, string StartAfter) DecodeContinue(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            var rv = Json.Long(node, "rv") ?? throw new FormatException();
            var start = Json.Str(node, "start") ?? throw new FormatException();
            if (Json.Str(node, "v") != "meta.k8s.io/v1" || rv <= 0) throw new FormatException();
            return (rv, start.TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw Errors.BadRequest($"invalid continue token: {e.Message}");
        }
    }
}
