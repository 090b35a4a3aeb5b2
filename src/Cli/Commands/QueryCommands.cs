using System.CommandLine;
using System.Globalization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Cli.Output;

namespace SalesPipeline.Cli.Commands;

/// <summary><c>sales query …</c>: live Gold and Silver from a running silo.</summary>
internal static class QueryCommands
{
    public static Command Create()
    {
        var query = new Command("query", "Query live Gold figures and Silver orders");
        query.Subcommands.Add(Regions());
        query.Subcommands.Add(Products());
        query.Subcommands.Add(Customers());
        query.Subcommands.Add(Customer());
        query.Subcommands.Add(Order());
        return query;
    }

    private static Command Regions()
    {
        var from = new Option<string?>("--from") { Description = "First order date (yyyy-MM-dd), inclusive" };
        var to = new Option<string?>("--to") { Description = "Last order date (yyyy-MM-dd), inclusive" };
        var byDay = new Option<bool>("--by-day") { Description = "One row per region and order date" };
        var json = CliContext.JsonOption();
        var command = new Command("regions", "Sales by region") { from, to, byDay, json };
        command.SetAction(CliContext.Guard((parse, ct) =>
        {
            var fromDate = ParseDate(parse.GetValue(from), "--from");
            var toDate = ParseDate(parse.GetValue(to), "--to");
            var daily = parse.GetValue(byDay);
            return CliContext.WithClientAsync(parse, ct, async client =>
            {
                var rows = await client.GetRegionSalesAsync(fromDate, toDate, daily, ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(daily
                        ? Json.Serialize(rows.Select(r => new RegionDayRow(r.Region, r.OrderDate!.Value, r.Orders, r.Units, r.Sales)))
                        : Json.Serialize(rows.Select(r => new RegionRow(r.Region, r.Orders, r.Units, r.Sales))));
                }
                else if (daily)
                {
                    Table.Write(Console.Out, ["region", "order_date", "orders", "units", "sales"], rows.Select(r => new object?[] { r.Region, r.OrderDate, r.Orders, r.Units, r.Sales }));
                }
                else
                {
                    Table.Write(Console.Out, ["region", "orders", "units", "sales"], rows.Select(r => new object?[] { r.Region, r.Orders, r.Units, r.Sales }));
                }

                return 0;
            });
        }));
        return command;
    }

    private static Command Products()
    {
        var top = TopOption();
        var json = CliContext.JsonOption();
        var command = new Command("products", "Product performance, best sellers first") { top, json };
        command.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var rows = await client.GetTopProductsAsync(parse.GetValue(top), ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json.Serialize(rows.Select(r => new ProductRow(r.ProductId, r.ProductName, r.Orders, r.Units, r.Sales))));
            }
            else
            {
                Table.Write(Console.Out, ["product_id", "product_name", "orders", "units", "sales"], rows.Select(r => new object?[] { r.ProductId, r.ProductName, r.Orders, r.Units, r.Sales }));
            }

            return 0;
        })));
        return command;
    }

    private static Command Customers()
    {
        var top = TopOption();
        var json = CliContext.JsonOption();
        var command = new Command("customers", "Customer metrics, highest lifetime value first") { top, json };
        command.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var rows = await client.GetTopCustomersAsync(parse.GetValue(top), ct);
            PrintCustomers(rows, parse.GetValue(json));
            return 0;
        })));
        return command;
    }

    private static Command Customer()
    {
        var id = new Argument<string>("customer-id") { Description = "The customer_id" };
        var json = CliContext.JsonOption();
        var command = new Command("customer", "One customer's metrics") { id, json };
        command.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var customerId = parse.GetValue(id)!;
            var row = await client.GetCustomerAsync(customerId, ct)
                ?? throw new CliException($"unknown customer '{customerId}' (no contributing order)");
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json.Serialize(ToRow(row)));
            }
            else
            {
                PrintCustomers([row], false);
            }

            return 0;
        })));
        return command;
    }

    private static Command Order()
    {
        var id = new Argument<string>("order-id") { Description = "The order_id" };
        var json = CliContext.JsonOption();
        var command = new Command("order", "One order: Silver current version and its Bronze log") { id, json };
        command.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var orderId = parse.GetValue(id)!;
            var order = await client.GetOrderAsync(orderId, ct) ?? throw new CliException($"unknown order '{orderId}'");
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json.Serialize(new
                {
                    order_id = order.OrderId,
                    current = order.Current,
                    bronze = order.Bronze.Select(b => new
                    {
                        source = b.Origin.Source,
                        file = b.Origin.File,
                        line = b.Origin.Line,
                        ingest_time = b.IngestTime,
                        outcome = b.Outcome,
                        reason = b.Reason,
                        raw = b.Raw,
                    }),
                }));
                return 0;
            }

            Console.WriteLine($"order {order.OrderId}");
            if (order.Current is { } c)
            {
                Console.WriteLine($"  current: sequence {c.Sequence}, status {c.Status.ToString().ToLowerInvariant()}, event {c.EventId}");
                Console.WriteLine($"  customer {c.CustomerId ?? "(none)"}, region {c.Region}, country {c.Country}, currency {c.Currency}, order time {c.OrderTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
                Table.Write(Console.Out, ["product_id", "product_name", "quantity", "unit_price", "discount", "amount"], c.Lines.Select(l => new object?[] { l.ProductId, l.ProductName, l.Quantity, l.UnitPrice, l.Discount, l.Amount }));
            }
            else
            {
                Console.WriteLine("  no valid version (every record was quarantined)");
            }

            Console.WriteLine();
            Console.WriteLine("bronze log:");
            Table.Write(Console.Out, ["source", "file", "line", "ingest_time", "outcome", "reason"], order.Bronze.Select(b => new object?[] { b.Origin.Source, b.Origin.File, b.Origin.Line, b.IngestTime, b.Outcome.ToString().ToLowerInvariant(), b.Reason }));
            return 0;
        })));
        return command;
    }

    private static void PrintCustomers(IEnumerable<CustomerMetrics> rows, bool json)
    {
        if (json)
        {
            Console.WriteLine(Json.Serialize(rows.Select(ToRow)));
            return;
        }

        Table.Write(Console.Out, ["customer_id", "region", "orders", "sales", "first_order_time", "last_order_time"],
            rows.Select(r => new object?[] { r.CustomerId, r.Region, r.Orders, r.Sales, r.FirstOrderTime, r.LastOrderTime }));
    }

    private static CustomerRow ToRow(CustomerMetrics r) => new(r.CustomerId, r.Region, r.Orders, r.Sales, r.FirstOrderTime, r.LastOrderTime);

    private static Option<int?> TopOption() => new("--top") { Description = "Only the first N rows" };

    private static DateOnly? ParseDate(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new CliException($"{option} '{text}' is not a date (yyyy-MM-dd)");
    }

    private sealed record RegionRow(string Region, long Orders, long Units, decimal Sales);

    private sealed record RegionDayRow(string Region, DateOnly OrderDate, long Orders, long Units, decimal Sales);

    private sealed record ProductRow(string ProductId, string? ProductName, long Orders, long Units, decimal Sales);

    private sealed record CustomerRow(string CustomerId, string Region, long Orders, decimal Sales, DateTimeOffset FirstOrderTime, DateTimeOffset LastOrderTime);
}
