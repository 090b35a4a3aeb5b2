using static SalesPipeline.Quality.Tests.Conditions;

namespace SalesPipeline.Quality.Tests;

public sealed class ExpectationSetTests
{
    // One rule per action; each fails exactly when its flag field is FALSE.
    private static readonly ExpectationSet ByAction = ExpectationSet.Compile(
        new FieldSchema(
            new SchemaField("warn_ok", FieldType.Boolean),
            new SchemaField("drop_ok", FieldType.Boolean),
            new SchemaField("quarantine_ok", FieldType.Boolean),
            new SchemaField("fail_ok", FieldType.Boolean)),
        new ExpectationDefinition("w", "warn_ok", "warn"),
        new ExpectationDefinition("d", "drop_ok", "DROP"),
        new ExpectationDefinition("q", "quarantine_ok", " Quarantine "),
        new ExpectationDefinition("f", "fail_ok", "Fail"));

    [Theory]
    [InlineData(false, false, false, false, "None")]
    [InlineData(true, false, false, false, "Warn")]
    [InlineData(false, true, false, false, "Drop")]
    [InlineData(true, true, false, false, "Drop")]
    [InlineData(false, false, true, false, "Quarantine")]
    [InlineData(true, true, true, false, "Quarantine")]
    [InlineData(false, false, false, true, "Fail")]
    [InlineData(true, false, false, true, "Fail")]
    [InlineData(true, true, true, true, "Fail")]
    [InlineData(false, true, true, false, "Quarantine")]
    public void Evaluate_FailedRules_ActionIsMostSevere(bool failWarn, bool failDrop, bool failQuarantine, bool failFail, string expected)
    {
        var record = new TestRecord(ByAction.Schema)
            .Set("warn_ok", !failWarn).Set("drop_ok", !failDrop).Set("quarantine_ok", !failQuarantine).Set("fail_ok", !failFail);

        var outcome = ByAction.Evaluate(record);

        Assert.Equal(Enum.Parse<ExpectationAction>(expected), outcome.Action);
        var expectedFailed = new[] { (failWarn, "w"), (failDrop, "d"), (failQuarantine, "q"), (failFail, "f") }
            .Where(r => r.Item1).Select(r => r.Item2);
        Assert.Equal(expectedFailed, outcome.FailedRules.Select(r => r.Name));
        Assert.Equal(expected == "None", outcome.Passed);
        Assert.Equal(expected is "None" or "Warn", outcome.KeepsRecord);
    }

    [Fact]
    public void Evaluate_AllPass_IsDefaultOutcome()
    {
        var outcome = ByAction.Evaluate(new TestRecord(ByAction.Schema)
            .Set("warn_ok", true).Set("drop_ok", true).Set("quarantine_ok", true).Set("fail_ok", true));

        Assert.True(outcome.Passed);
        Assert.Equal(ExpectationAction.None, outcome.Action);
        Assert.Empty(outcome.FailedRules);
        Assert.Null(outcome.DecidingRule);
    }

    [Fact]
    public void Evaluate_NullCondition_FailsTheRule()
    {
        // DLT semantics: only TRUE passes, so a NULL discount fails "discount >= 0" even though it is not negative.
        var set = ExpectationSet.Compile(FieldSchema.Pipeline, new ExpectationDefinition("discount_ok", "discount >= 0", "drop"));
        var outcome = set.Evaluate(new TestRecord(FieldSchema.Pipeline).Set("discount", null));
        Assert.Equal(ExpectationAction.Drop, outcome.Action);
        Assert.Equal("discount_ok", Assert.Single(outcome.FailedRules).Name);
    }

    [Fact]
    public void DecidingRule_IsFirstFailedRuleWithTheOutcomeAction()
    {
        var set = ExpectationSet.Compile(
            Schema,
            new ExpectationDefinition("a_warn", "x > 0", "warn"),
            new ExpectationDefinition("b_quarantine", "x > 1", "quarantine"),
            new ExpectationDefinition("c_drop", "x > 2", "drop"),
            new ExpectationDefinition("d_quarantine", "x > 3", "quarantine"));

        var outcome = set.Evaluate(new TestRecord(Schema).Set("x", 0m));

        Assert.Equal(ExpectationAction.Quarantine, outcome.Action);
        Assert.Equal("b_quarantine", outcome.DecidingRule?.Name);
        Assert.Equal(["a_warn", "b_quarantine", "c_drop", "d_quarantine"], outcome.FailedRules.Select(r => r.Name));
    }

    [Fact]
    public void Compile_Rules_KeepDeclarationAndParsedAction()
    {
        var rules = ByAction.Rules;
        Assert.Equal(["w", "d", "q", "f"], rules.Select(r => r.Name));
        Assert.Equal([ExpectationAction.Warn, ExpectationAction.Drop, ExpectationAction.Quarantine, ExpectationAction.Fail], rules.Select(r => r.Action));
        Assert.Equal([0, 1, 2, 3], rules.Select(r => r.Index));
        Assert.Equal("warn_ok", rules[0].Condition);
    }

    [Fact]
    public void Compile_GlobalAndSourceRules_ConcatenateAndMustNotCollide()
    {
        ExpectationDefinition[] global = [new("order_id_present", "order_id IS NOT NULL", "fail")];
        ExpectationDefinition[] source = [new("eu_only", "region = 'EU'", "drop")];
        var set = ExpectationSet.Compile(FieldSchema.Pipeline, global.Concat(source));
        Assert.Equal(2, set.Rules.Count);

        Assert.Throws<ExpectationConfigurationException>(() =>
            ExpectationSet.Compile(FieldSchema.Pipeline, global.Concat(global)));
    }

    [Fact]
    public void Evaluate_PipelineExample_AppliesEveryRule()
    {
        var set = ExpectationSet.Compile(
            FieldSchema.Pipeline,
            new ExpectationDefinition("order_id_present", "order_id IS NOT NULL AND TRIM(order_id) <> ''", "fail"),
            new ExpectationDefinition("positive_amount", "quantity * unit_price > 0", "drop"),
            new ExpectationDefinition("known_region", "region IN ('EMEA', 'NA', 'APAC')", "quarantine"),
            new ExpectationDefinition("discount_range", "COALESCE(discount, 0) BETWEEN 0 AND 1", "warn"),
            new ExpectationDefinition("not_future", "event_time >= order_time AND order_time >= '2000-01-01'", "warn"));
        var ordered = Timestamp("2024-05-01T08:00:00Z");
        TestRecord Line() => new TestRecord(FieldSchema.Pipeline)
            .Set("order_id", "o-1").Set("quantity", 2m).Set("unit_price", 9.99m).Set("region", "EMEA")
            .Set("order_time", ordered).Set("event_time", ordered.AddSeconds(1));

        Assert.True(set.Evaluate(Line()).Passed);
        Assert.Equal(ExpectationAction.Warn, set.Evaluate(Line().Set("discount", 1.5m)).Action);
        Assert.Equal(ExpectationAction.Drop, set.Evaluate(Line().Set("quantity", 0m)).Action);
        Assert.Equal(ExpectationAction.Quarantine, set.Evaluate(Line().Set("region", "Mars").Set("quantity", 0m)).Action);
        Assert.Equal("known_region", set.Evaluate(Line().Set("region", null)).DecidingRule?.Name);
        Assert.Equal(ExpectationAction.Fail, set.Evaluate(Line().Set("order_id", "  ").Set("region", "Mars")).Action);
        Assert.Equal(ExpectationAction.Warn, set.Evaluate(Line().Set("event_time", ordered.AddSeconds(-1))).Action);
    }

    [Fact]
    public void Evaluate_AllPass_AllocatesNothing()
    {
        var set = ExpectationSet.Compile(
            FieldSchema.Pipeline,
            new ExpectationDefinition("a", "quantity * unit_price > 0", "drop"),
            new ExpectationDefinition("b", "region IN ('EMEA', 'NA')", "quarantine"),
            new ExpectationDefinition("c", "order_time >= '2020-01-01' AND status IS NOT NULL", "warn"),
            new ExpectationDefinition("d", "NOT (discount < 0) OR discount IS NULL", "fail"),
            new ExpectationDefinition("e", "customer_id LIKE 'c-%'", "warn"));
        var record = new TestRecord(FieldSchema.Pipeline)
            .Set("quantity", 2m).Set("unit_price", 3m).Set("region", "NA").Set("status", "paid")
            .Set("order_time", Timestamp("2024-01-01T00:00:00Z")).Set("customer_id", "c-1");
        Assert.True(set.Evaluate(record).Passed);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var passed = 0;
        for (var i = 0; i < 1_000; i++)
        {
            if (set.Evaluate(record).Passed)
                passed++;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1_000, passed);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Counters_Snapshot_CountsEvaluatedPassedFailed()
    {
        var set = ExpectationSet.Compile(
            Schema,
            new ExpectationDefinition("positive", "x > 0", "drop"),
            new ExpectationDefinition("small", "x < 10", "warn"));
        var counters = new ExpectationCounters(set);
        foreach (var x in new decimal?[] { 1, 5, 20, -1, null, 3 })
            counters.Record(set.Evaluate(new TestRecord(Schema).Set("x", x)));

        // positive fails for -1 and null; small fails for 20 and null.
        Assert.Equal(
            [new ExpectationMetrics("positive", ExpectationAction.Drop, 6, 4, 2), new ExpectationMetrics("small", ExpectationAction.Warn, 6, 4, 2)],
            counters.Snapshot());
    }

    [Fact]
    public async Task Counters_ConcurrentRecords_AreAllCounted()
    {
        var set = ExpectationSet.Compile(Schema, new ExpectationDefinition("below_half", "x < 500", "drop"));
        var counters = new ExpectationCounters(set);
        const int threads = 4;
        const int perThread = 1_000;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var record = new TestRecord(Schema);
            for (var i = 0; i < perThread; i++)
                counters.Record(set.Evaluate(record.Set("x", (decimal)i)));
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers);

        var metrics = Assert.Single(counters.Snapshot());
        Assert.Equal(threads * perThread, metrics.Evaluated);
        Assert.Equal(threads * 500, metrics.Failed);   // i = 500..999 in each thread
        Assert.Equal(threads * 500, metrics.Passed);
    }

    [Fact]
    public void Counters_OutcomeOfAnotherSet_IsRejected()
    {
        var set = ExpectationSet.Compile(Schema, new ExpectationDefinition("r", "x > 0", "warn"));
        var other = ExpectationSet.Compile(Schema, new ExpectationDefinition("r", "x > 0", "warn"));
        var outcome = other.Evaluate(new TestRecord(Schema).Set("x", 0m));
        Assert.Throws<ArgumentException>(() => new ExpectationCounters(set).Record(outcome));
    }

    [Fact]
    public void PipelineSchema_OrdinalsMatchConstants()
    {
        var expected = new (string Name, int Ordinal, FieldType Type)[]
        {
            ("order_id", PipelineFields.OrderId, FieldType.Text), ("line_id", PipelineFields.LineId, FieldType.Text),
            ("event_id", PipelineFields.EventId, FieldType.Text), ("product_id", PipelineFields.ProductId, FieldType.Text),
            ("product_name", PipelineFields.ProductName, FieldType.Text), ("customer_id", PipelineFields.CustomerId, FieldType.Text),
            ("region", PipelineFields.Region, FieldType.Text), ("country", PipelineFields.Country, FieldType.Text),
            ("currency", PipelineFields.Currency, FieldType.Text), ("status", PipelineFields.Status, FieldType.Text),
            ("channel", PipelineFields.Channel, FieldType.Text), ("quantity", PipelineFields.Quantity, FieldType.Number),
            ("unit_price", PipelineFields.UnitPrice, FieldType.Number), ("discount", PipelineFields.Discount, FieldType.Number),
            ("line_amount", PipelineFields.LineAmount, FieldType.Number), ("sequence", PipelineFields.Sequence, FieldType.Number),
            ("order_time", PipelineFields.OrderTime, FieldType.Timestamp), ("event_time", PipelineFields.EventTime, FieldType.Timestamp),
        };
        Assert.Equal(expected.Length, FieldSchema.Pipeline.Fields.Count);
        foreach (var (name, ordinal, type) in expected)
        {
            Assert.Equal(ordinal, FieldSchema.Pipeline.GetOrdinal(name.ToUpperInvariant()));
            Assert.Equal(type, FieldSchema.Pipeline.Fields[ordinal].Type);
        }
    }
}
