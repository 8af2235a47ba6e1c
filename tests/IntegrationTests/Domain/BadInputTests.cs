using System.Net;
using System.Text;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Domain;

/// <summary>A client's mistake gets the right 4xx with RFC 7807 problem details, and writes nothing.</summary>
[Collection(TopologyCollection.Name)]
public sealed class BadInputTests(TopologyFixture topology)
{
    public static TheoryData<string, string, string, string?, int> Cases => new()
    {
        // name, method + path, content type, body, expected status
        { "empty body", "POST /api/orders", "application/json", "", 400 },
        { "malformed JSON", "POST /api/orders", "application/json", """{"customerId": 1, "lines": [""", 400 },
        { "wrong content type", "POST /api/orders", "text/plain", """{"customerId":1,"lines":[{"productId":1,"quantity":1}]}""", 415 },
        { "missing customerId", "POST /api/orders", "application/json", """{"lines":[{"productId":1,"quantity":1}]}""", 400 },
        { "customerId zero", "POST /api/orders", "application/json", """{"customerId":0,"lines":[{"productId":1,"quantity":1}]}""", 400 },
        { "customerId negative", "POST /api/orders", "application/json", """{"customerId":-4,"lines":[{"productId":1,"quantity":1}]}""", 400 },
        { "customerId not a number", "POST /api/orders", "application/json", """{"customerId":"abc","lines":[{"productId":1,"quantity":1}]}""", 400 },
        { "lines missing", "POST /api/orders", "application/json", """{"customerId":1}""", 400 },
        { "lines empty", "POST /api/orders", "application/json", """{"customerId":1,"lines":[]}""", 400 },
        { "productId missing", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"quantity":1}]}""", 400 },
        { "quantity zero", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":0}]}""", 400 },
        { "negative quantity", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":-2}]}""", 400 },
        { "huge quantity", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":1000000}]}""", 400 },
        { "quantity as a string", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":"3"}]}""", 400 },
        { "quantity overflows int", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":99999999999}]}""", 400 },
        { "same product twice", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":1},{"productId":1,"quantity":2}]}""", 400 },
        { "too many lines", "POST /api/orders", "application/json", ManyLines(501), 400 },
        { "oversize body", "POST /api/orders", "application/json", OversizeBody(), 413 },
        { "unknown customer", "POST /api/orders", "application/json", """{"customerId":987654321,"lines":[{"productId":1,"quantity":1}]}""", 422 },
        { "unknown product", "POST /api/orders", "application/json", """{"customerId":1,"lines":[{"productId":1,"quantity":1},{"productId":987654321,"quantity":1}]}""", 422 },
        { "order id not a number", "GET /api/orders/abc", "", null, 400 },
        { "order id negative", "GET /api/orders/-3", "", null, 400 },
        { "unknown order", "GET /api/orders/987654321", "", null, 404 },
        { "customer id not a number", "GET /api/customers/x1", "", null, 400 },
        { "customer orders page zero", "GET /api/customers/1/orders?page=0", "", null, 400 },
        { "products page size too large", "GET /api/products?pageSize=1000", "", null, 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInputIsAProblemAndWritesNothing(string name, string request, string contentType, string? body, int expectedStatus)
    {
        var ct = TestContext.Current.CancellationToken;
        var rowsBefore = await CountRowsAsync(ct);
        var (method, path) = (request.Split(' ')[0], request.Split(' ')[1]);
        using var message = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8);
            message.Content.Headers.ContentType = new(contentType);
            // A body over the limit is refused before it is sent (100-continue), as a careful client sends one: without
            // it the server answers and closes while the body is still going out, and the client may see the connection
            // reset before it reads the answer (the fuzz tests' BadRequest does the same).
            message.Headers.ExpectContinue = body.Length > Checkouts.MaxBodyBytes;
        }

        using var response = await topology.Orders.SendAsync(message, ct);

        Assert.True(expectedStatus == (int)response.StatusCode, $"{name}: expected {expectedStatus}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":" + expectedStatus, await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(rowsBefore, await CountRowsAsync(ct));
    }

    [Fact]
    public async Task AnIdempotencyKeyLongerThan128CharactersIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var rowsBefore = await CountRowsAsync(ct);

        using var response = await topology.Orders.SendAsync(Checkouts.Request(1, [(1, 1)], new string('k', 129)), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(rowsBefore, await CountRowsAsync(ct));
    }

    private async Task<(long Orders, long Lines, long Payments)> CountRowsAsync(CancellationToken ct) => (
        await topology.ScalarAsync("SELECT count(*) FROM orders", ct),
        await topology.ScalarAsync("SELECT count(*) FROM order_lines", ct),
        await topology.ScalarAsync("SELECT count(*) FROM payments", ct));

    private static string ManyLines(int count) =>
        $$"""{"customerId":1,"lines":[{{string.Join(",", Enumerable.Range(1, count).Select(i => $$"""{"productId":{{i}},"quantity":1}"""))}}]}""";

    private static string OversizeBody() =>
        $$"""{"customerId":1,"note":"{{new string('x', 300 * 1024)}}","lines":[{"productId":1,"quantity":1}]}""";
}
