using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.ApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>Writes responses: JSON, objects (as stored, or as tables), lists and warning headers.</summary>
internal sealed partial class ApiHandler
{
    private static void AddWarnings(HttpContext ctx, List<string> warnings)
    {
        if (warnings.Count == 0 || ctx.Response.HasStarted) return;
        foreach (var w in warnings.Distinct())
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
        }
    }

    internal static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        var bytes = Json.ToBytes(body);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteObjectAsync(HttpContext ctx, ApiResource r, int code, JsonObject obj, StoredObject? stored)
    {
        var tableVersion = TableConverter.NegotiateTableVersion(ctx.Request.Headers.Accept.ToString());
        if (tableVersion is not null && Json.Str(obj, "kind") != "Status")
        {
            var table = TableConverter.Convert(r, [obj], new TableOptions
            {
                TableApiVersion = tableVersion,
                ResourceVersion = Json.Path(obj, "metadata", "resourceVersion"),
                IncludeObject = TableConverter.ParseIncludeObject(ctx.Request.Query["includeObject"].ToString()),
                Now = _clock.GetUtcNow(),
            });
            await WriteJsonAsync(ctx, code, table).ConfigureAwait(false);
            return;
        }

        if (stored is not null && Json.Str(stored.Object, "apiVersion") == Json.Str(obj, "apiVersion"))
        {
            ctx.Response.StatusCode = code;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = stored.Bytes.Length;
            await ctx.Response.Body.WriteAsync(stored.Bytes, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(ctx, code, obj).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext ctx, RequestInfo info, IQueryCollection q)
    {
        var r = info.Resource;
        var result = _m.List(r, info.Namespace, ListOptionsFrom(q));
        var tableVersion = TableConverter.NegotiateTableVersion(ctx.Request.Headers.Accept.ToString());
        if (tableVersion is not null)
        {
            var table = TableConverter.Convert(r, result.Items.Select(i => ApiMachinery.ForVersion(r, i.CloneObject())), new TableOptions
            {
                TableApiVersion = tableVersion,
                ResourceVersion = result.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                Continue = result.Continue,
                RemainingItemCount = result.RemainingItemCount,
                IncludeObject = TableConverter.ParseIncludeObject(q["includeObject"].ToString()),
                Now = _clock.GetUtcNow(),
            });
            await WriteJsonAsync(ctx, 200, table).ConfigureAwait(false);
            return;
        }

        var meta = new JsonObject { ["resourceVersion"] = result.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (result.Continue is not null) meta["continue"] = result.Continue;
        if (result.RemainingItemCount is { } rem) meta["remainingItemCount"] = rem;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        using var ms = new MemoryStream();
        ms.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{r.ListKindName}\",\"apiVersion\":\"{r.ApiVersion}\",\"metadata\":"));
        ms.Write(Json.ToBytes(meta));
        ms.Write(",\"items\":["u8);
        var first = true;
        foreach (var item in result.Items)
        {
            if (!first) ms.WriteByte((byte)',');
            first = false;
            if (!r.IsCustom) ms.Write(item.ListItemBytes);
            else if (Json.Str(item.Object, "apiVersion") != r.ApiVersion) ms.Write(Json.ToBytes(ApiMachinery.ForVersion(r, item.CloneObject())));
            else ms.Write(item.Bytes);
        }

        ms.Write("]}"u8);
        ctx.Response.ContentLength = ms.Length;
        ms.Position = 0;
        await ms.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
