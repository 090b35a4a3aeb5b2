namespace SalesPipeline.Quality.Conditions;

/// <summary>
/// Recursive descent over the grammar in <c>docs/expectations.md</c>. Precedence, loosest first: OR; AND; NOT;
/// comparisons, IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN, [NOT] LIKE (not chainable); + and -; * and /; unary minus.
/// </summary>
internal sealed class Parser
{
    // Bounds recursion so a pathological condition fails with a message instead of overflowing the stack.
    private const int MaxDepth = 200;

    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static Syntax Parse(string text)
    {
        var parser = new Parser(Lexer.Tokenize(text));
        if (parser.Current.Kind == TokenKind.End)
            throw new ConditionException("condition is empty", 1);
        var syntax = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
            throw new ConditionException($"expected an operator or end of condition but found {parser.Current.Describe()}", parser.Current.Position);
        return syntax;
    }

    private Token Current => _tokens[_index];

    private Token Peek => _tokens[Math.Min(_index + 1, _tokens.Count - 1)];

    private Token Advance()
    {
        var token = _tokens[_index];
        if (token.Kind != TokenKind.End)
            _index++;
        return token;
    }

    private Token Expect(TokenKind kind, string what) =>
        Current.Kind == kind ? Advance() : throw new ConditionException($"expected {what} but found {Current.Describe()}", Current.Position);

    private Syntax ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Advance();
            left = new BinaryOperation(BinaryOperator.Or, left, ParseAnd(), op.Position, op.Text.ToUpperInvariant());
        }
        return left;
    }

    private Syntax ParseAnd()
    {
        var left = ParseNot();
        while (Current.Kind == TokenKind.And)
        {
            var op = Advance();
            left = new BinaryOperation(BinaryOperator.And, left, ParseNot(), op.Position, op.Text.ToUpperInvariant());
        }
        return left;
    }

    private Syntax ParseNot()
    {
        if (Current.Kind != TokenKind.Not)
            return ParsePredicate();
        var op = Advance();
        Enter(op);
        var operand = ParseNot();
        _depth--;
        return new UnaryOperation(UnaryOperator.Not, operand, op.Position);
    }

    private Syntax ParsePredicate()
    {
        var left = ParseAdditive();
        var op = Current;
        switch (op.Kind)
        {
            case TokenKind.Equal or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual:
                Advance();
                return new BinaryOperation(ComparisonOperator(op.Kind), left, ParseAdditive(), op.Position, op.Text);
            case TokenKind.Is:
                Advance();
                var negated = Current.Kind == TokenKind.Not;
                if (negated)
                    Advance();
                Expect(TokenKind.Null, negated ? "NULL after IS NOT" : "NULL or NOT after IS");
                return new IsNullTest(left, negated, op.Position);
            case TokenKind.In or TokenKind.Between or TokenKind.Like:
                Advance();
                return ParseSetOrRange(left, op, negated: false);
            case TokenKind.Not:
                if (Peek.Kind is not (TokenKind.In or TokenKind.Between or TokenKind.Like))
                    throw new ConditionException($"expected IN, BETWEEN or LIKE after NOT but found {Peek.Describe()}", Peek.Position);
                Advance();
                var keyword = Advance();
                return ParseSetOrRange(left, keyword with { Position = op.Position }, negated: true);
            default:
                return left;
        }
    }

    private Syntax ParseSetOrRange(Syntax operand, Token keyword, bool negated)
    {
        switch (keyword.Kind)
        {
            case TokenKind.In:
                Expect(TokenKind.LeftParen, "'(' after IN");
                var items = new List<Syntax> { ParseOr() };
                while (Current.Kind == TokenKind.Comma)
                {
                    Advance();
                    items.Add(ParseOr());
                }
                Expect(TokenKind.RightParen, "',' or ')' in the IN list");
                return new InList(operand, items, negated, keyword.Position);
            case TokenKind.Between:
                var low = ParseAdditive();
                Expect(TokenKind.And, "AND in BETWEEN");
                return new BetweenTest(operand, low, ParseAdditive(), negated, keyword.Position);
            default:
                return new LikeTest(operand, ParseAdditive(), negated, keyword.Position);
        }
    }

    private Syntax ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            var kind = op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = new BinaryOperation(kind, left, ParseMultiplicative(), op.Position, op.Text);
        }
        return left;
    }

    private Syntax ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Advance();
            var kind = op.Kind == TokenKind.Star ? BinaryOperator.Multiply : BinaryOperator.Divide;
            left = new BinaryOperation(kind, left, ParseUnary(), op.Position, op.Text);
        }
        return left;
    }

    private Syntax ParseUnary()
    {
        if (Current.Kind is not (TokenKind.Minus or TokenKind.Plus))
            return ParsePrimary();
        var op = Advance();
        Enter(op);
        var operand = ParseUnary();
        _depth--;
        if (op.Kind == TokenKind.Plus)
            return operand;
        // A negative literal is a literal: it prints as -1.5 and needs no folding.
        return operand is NumberLiteral literal
            ? new NumberLiteral(-literal.Value, op.Position)
            : new UnaryOperation(UnaryOperator.Negate, operand, op.Position);
    }

    private Syntax ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(Lexer.ParseNumber(token), token.Position);
            case TokenKind.String:
                Advance();
                return new StringLiteral(token.Text, token.Position);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new BooleanLiteral(token.Kind == TokenKind.True, token.Position);
            case TokenKind.Null:
                Advance();
                return new NullLiteral(token.Position);
            case TokenKind.Identifier when Peek.Kind == TokenKind.LeftParen:
                Advance();
                Advance();
                var arguments = new List<Syntax>();
                if (Current.Kind != TokenKind.RightParen)
                {
                    arguments.Add(ParseOr());
                    while (Current.Kind == TokenKind.Comma)
                    {
                        Advance();
                        arguments.Add(ParseOr());
                    }
                }
                Expect(TokenKind.RightParen, $"',' or ')' in the arguments of {token.Text}");
                return new FunctionCall(token.Text, arguments, token.Position);
            case TokenKind.Identifier:
                Advance();
                return new FieldReference(token.Text, token.Position);
            case TokenKind.LeftParen:
                Advance();
                Enter(token);
                var inner = ParseOr();
                _depth--;
                Expect(TokenKind.RightParen, "')'");
                return inner;
            default:
                throw new ConditionException($"expected a value, field or '(' but found {token.Describe()}", token.Position);
        }
    }

    private void Enter(Token token)
    {
        if (++_depth > MaxDepth)
            throw new ConditionException($"condition is nested more than {MaxDepth} levels deep", token.Position);
    }

    private static BinaryOperator ComparisonOperator(TokenKind kind) => kind switch
    {
        TokenKind.Equal => BinaryOperator.Equal,
        TokenKind.NotEqual => BinaryOperator.NotEqual,
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
        TokenKind.Greater => BinaryOperator.Greater,
        _ => BinaryOperator.GreaterOrEqual,
    };
}
