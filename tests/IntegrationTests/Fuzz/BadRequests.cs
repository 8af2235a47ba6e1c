using System.Globalization;
using System.Text;
using CsCheck;

namespace PerfReference.IntegrationTests.Fuzz;

/// <summary>An HTTP request to the orders API that is wrong in at least one way a client can get it wrong.</summary>
public sealed record BadRequest(string Kind, HttpMethod Method, string Path, string? ContentType, byte[]? Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        // A body over the limit is refused before it is sent (100-continue), as a careful client sends
        // one: without it the server answers and closes while the body is still going out, and the
        // client may see the connection reset before it reads the answer.
        message.Headers.ExpectContinue = Body is { Length: > Checkouts.MaxBodyBytes };
        return message;
    }

    public override string ToString() =>
        $"{Kind}: {Method} {Path} [{ContentType}] {string.Join(" ", Headers.Select(h => $"{h.Name}: {h.Value}"))} {(Body is null ? "" : Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300))))}";
}

/// <summary>
/// Generators of requests that no valid client sends: each is invalid by construction (a customer,
/// product or quantity no order can have, JSON that does not parse or has the wrong types, a body too
/// deep or too large, a content type, a header or a variant the API refuses), so none may write anything.
/// </summary>
public static class BadRequests
{
    /// <summary>Ids no row has: not positive, or far past any data set.</summary>
    private static readonly Gen<string> ImpossibleId = Gen.OneOf(
        Gen.Long[long.MinValue, 0].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Long[1_000_000_000_000, long.MaxValue].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Const("1e30"), Gen.Const("99999999999999999999999"), Gen.Const("-0.5"), Gen.Const("1.5"), Gen.Const("NaN"));

    /// <summary>Any JSON value, of the wrong type for where it goes more often than not.</summary>
    private static readonly Gen<string> AnyValue = Gen.OneOf(
        Gen.Int.Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Where(double.IsFinite).Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
        Gen.String[0, 40].Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
        Gen.Const("true"), Gen.Const("null"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("[1,2,3]"), Gen.Const("\"\""));

    private static readonly Gen<string> BadQuantity = Gen.OneOf(
        Gen.Int[int.MinValue, 0].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[1_001, int.MaxValue].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Const("99999999999"), Gen.Const("2.5"), Gen.Const("\"3\""), Gen.Const("null"));

    /// <summary>A checkout body that is JSON but cannot be a valid order.</summary>
    private static readonly Gen<string> InvalidCheckout = Gen.OneOf(
        Gen.Select(ImpossibleId, Gen.Int[1, 250], (customer, product) => $$"""{"customerId":{{customer}},"lines":[{"productId":{{product}},"quantity":1}]}"""),
        Gen.Select(Gen.Int[1, 100], ImpossibleId, (customer, product) => $$"""{"customerId":{{customer}},"lines":[{"productId":{{product}},"quantity":1}]}"""),
        Gen.Select(Gen.Int[1, 100], Gen.Int[1, 250], BadQuantity, (customer, product, quantity) => $$"""{"customerId":{{customer}},"lines":[{"productId":{{product}},"quantity":{{quantity}}}]}"""),
        Gen.Select(AnyValue, AnyValue, (customer, lines) => $$"""{"customerId":{{customer}},"lines":{{lines}}}""").Where(body => !body.Contains("\"lines\":[{", StringComparison.Ordinal)),
        Gen.Select(Gen.Int[1, 100], Gen.Int[1, 250], (customer, product) => $$"""{"customerId":{{customer}},"lines":[{"productId":{{product}},"quantity":1},{"productId":{{product}},"quantity":2}]}"""),
        Gen.Int[501, 700].Select(n => $$"""{"customerId":1,"lines":[{{string.Join(",", Enumerable.Range(1, n).Select(i => $$"""{"productId":{{i}},"quantity":1}"""))}}]}"""),
        Gen.Const("""{"lines":[{"productId":1,"quantity":1}]}"""),
        Gen.Const("""{"customerId":1}"""),
        Gen.Const("""{"customerId":1,"lines":[]}"""));

    /// <summary>Bytes that are not a JSON object: garbage, truncated JSON, nesting past any parser's depth limit.</summary>
    private static readonly Gen<string> NotJson = Gen.OneOf(
        Gen.String[0, 200],
        InvalidCheckout.SelectMany(body => Gen.Int[0, Math.Max(0, body.Length - 1)].Select(cut => body[..cut])),
        Gen.Int[65, 4_000].Select(depth => new string('[', depth) + new string(']', depth)),
        Gen.Int[65, 2_000].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)),
        Gen.Const("[]"), Gen.Const("null"), Gen.Const("\"order\""), Gen.Const("42"));

    /// <summary>Header values as a client can send them (printable ASCII; HTTP itself forbids the rest).</summary>
    private static Gen<string> Printable(int min, int max) => Gen.Char['!', '~'].Array[min, max].Select(chars => new string(chars));

    private static readonly Gen<(string Name, string Value)> BadHeader = Gen.OneOf(
        Printable(129, 400).Select(key => ("Idempotency-Key", key)),
        Gen.Const(("Idempotency-Key", "")),
        Gen.Select(Gen.Char['\u0001', '\u0008'], Printable(1, 20), (c, key) => ("Idempotency-Key", $"{key}{c}")),
        // "zz" first: the value's first token is neither a variant nor a built entry, whatever follows.
        Printable(0, 30).Select(v => ("X-Perf-Variant", "zz" + v)),
        Gen.Const(("X-Perf-Variant", "naive, n-plus-one-db=fast")),
        Gen.Const(("X-Perf-Variant", "naive, no-such-entry=optimized")),
        Gen.Const(("X-Perf-Variant", "naive, optimized")),
        Printable(1, 30).Select(v => ("X-Perf-Entry", "no-such-" + v)));

    private static readonly Gen<BadRequest> Checkout = Gen.OneOf(
        InvalidCheckout.Select(body => Post("wrong values", body)),
        NotJson.Select(body => Post("not a JSON object", body)),
        Gen.Select(InvalidCheckout, Gen.OneOf(Gen.Const("text/plain"), Gen.Const("application/xml"), Gen.Const("multipart/form-data"), Gen.Const("application/x-www-form-urlencoded")),
            (body, type) => Post("wrong content type", body) with { ContentType = type }),
        Gen.Int[Checkouts.MaxBodyBytes + 1, 600 * 1024].Select(size => Post("oversize body", "{\"customerId\":1,\"lines\":[" + new string(' ', size) + "]}")),
        Gen.Select(Gen.Int[1, 100], Gen.Int[1, 250], BadHeader, (customer, product, header) =>
            Post("bad header", $$"""{"customerId":{{customer}},"lines":[{"productId":{{product}},"quantity":1}]}""") with { Headers = [header] }));

    private static readonly Gen<BadRequest> Read = Gen.OneOf(
        ImpossibleId.Select(id => Get("unknown or invalid order", $"/api/orders/{Uri.EscapeDataString(id)}")),
        Gen.String[1, 30].Select(id => Get("garbage order id", $"/api/orders/x{Uri.EscapeDataString(id)}")),
        ImpossibleId.Select(id => Get("unknown or invalid customer", $"/api/customers/{Uri.EscapeDataString(id)}")),
        Gen.Select(ImpossibleId, Gen.Int[int.MinValue, 0], (id, page) => Get("bad order history", $"/api/customers/{Uri.EscapeDataString(id)}/orders?page={page}")),
        Gen.Int[101, int.MaxValue].Select(size => Get("page too large", $"/api/customers/1/orders?pageSize={size}")),
        Gen.String[0, 60].Select(ids => Get("bad profile ids", $"/api/customers/profiles?ids=x{Uri.EscapeDataString(ids)}")),
        Gen.String[101, 300].Select(search => Get("search too long", $"/api/products?search={Uri.EscapeDataString(search)}")),
        ImpossibleId.Select(id => Get("unknown or invalid product", $"/api/products/{Uri.EscapeDataString(id)}")),
        ImpossibleId.Select(id => Get("statement of nobody", $"/api/customers/{Uri.EscapeDataString(id)}/statement")),
        Gen.Select(Gen.OneOf(Gen.Const("PUT"), Gen.Const("DELETE"), Gen.Const("PATCH")), Gen.OneOf(Gen.Const("/api/orders"), Gen.Const("/api/orders/1"), Gen.Const("/api/products")),
            (method, path) => new BadRequest("method not allowed", new HttpMethod(method), path, null, null, [])));

    public static Gen<BadRequest> Any { get; } = Gen.Frequency((3, Checkout), (2, Read));

    private static BadRequest Post(string kind, string body) =>
        new(kind, HttpMethod.Post, "/api/orders", "application/json", Encoding.UTF8.GetBytes(body), [("Idempotency-Key", $"fuzz-{Guid.NewGuid():N}")]);

    private static BadRequest Get(string kind, string path) => new(kind, HttpMethod.Get, path, null, null, []);
}
