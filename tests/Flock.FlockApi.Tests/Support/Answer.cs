using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Flock.FlockApi.Tests.Support;

/// <summary>
/// An HTTP answer as the Python clients see it: the status and resp.json(). Reading the body as JSON throws when it is
/// not JSON, as resp.json() raises in the real clients (the failure the unrouted update path used to cause).
/// </summary>
public sealed record Answer(int Status, string Text, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("body is JSON null");

    /// <summary>resp.json() == {"detail": text}: the whole-body comparison both validators make.</summary>
    public bool IsDetail(string text) => JsonNode.DeepEquals(Json, new JsonObject { ["detail"] = text });

    public string? Detail => Json["detail"] is JsonValue v ? v.GetValue<string>() : null;

    public static async Task<Answer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new Answer((int)response.StatusCode, text, response.Headers, response.Content.Headers);
        }
    }

    public override string ToString() => $"{Status} {Text}";
}
