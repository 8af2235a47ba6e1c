namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// The shape rules of a checkout request. What needs the database or a grain (does the customer,
/// the product exist?) is checked later by <see cref="CheckoutService"/> and answered with 422.
/// </summary>
public static class CheckoutValidator
{
    public const int MaxLines = 500;
    public const int MaxQuantity = 1_000;
    public const int MaxIdempotencyKeyLength = 128;

    public static Dictionary<string, string[]> Validate(CheckoutRequest? request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl)))
        {
            Add("Idempotency-Key", $"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} printable characters.");
        }

        if (request is null)
        {
            Add("body", "A JSON body with customerId and lines is required.");
            return errors;
        }

        if (request.CustomerId is null)
        {
            Add("customerId", "customerId is required.");
        }
        else if (request.CustomerId <= 0)
        {
            Add("customerId", "customerId must be a positive id.");
        }

        if (request.Lines is null || request.Lines.Count == 0)
        {
            Add("lines", "At least one line is required.");
            return errors;
        }

        if (request.Lines.Count > MaxLines)
        {
            Add("lines", $"An order has at most {MaxLines} lines; this one has {request.Lines.Count}.");
        }

        for (var i = 0; i < request.Lines.Count; i++)
        {
            var line = request.Lines[i];
            if (line is null)
            {
                Add($"lines[{i}]", "A line cannot be null.");
                continue;
            }

            if (line.ProductId is null or <= 0)
            {
                Add($"lines[{i}].productId", "productId is required and must be a positive id.");
            }

            if (line.Quantity is null or <= 0 or > MaxQuantity)
            {
                Add($"lines[{i}].quantity", $"quantity is required and must be between 1 and {MaxQuantity}.");
            }
        }

        var duplicates = request.Lines
            .Where(line => line?.ProductId is > 0)
            .GroupBy(line => line!.ProductId!.Value)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .ToArray();
        if (duplicates.Length > 0)
        {
            Add("lines", $"Each product may appear on one line only; repeated: {string.Join(", ", duplicates)}.");
        }

        return errors;
    }
}
