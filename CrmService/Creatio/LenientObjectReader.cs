using System.Globalization;
using System.Text;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// Reads the JSON-like object Creatio puts inside <c>SaveWebFormObjectDataResult</c>: keys may be unquoted
/// (<c>{resultMessage:"",resultCode:0}</c>), strings may use single or double quotes. Values come back as
/// string, long, double, bool, null, a nested dictionary or a list.
/// </summary>
public static class LenientObjectReader
{
    public static bool TryRead(string text, out Dictionary<string, object?> result)
    {
        result = [];
        try
        {
            var reader = new Cursor(text);
            reader.SkipWhitespace();
            if (reader.ReadValue() is not Dictionary<string, object?> obj)
            {
                return false;
            }
            reader.SkipWhitespace();
            if (!reader.AtEnd)
            {
                return false;
            }
            result = obj;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class Cursor(string text)
    {
        private const int MaxDepth = 32;
        private int _position;
        private int _depth;

        public bool AtEnd => _position >= text.Length;

        private char Current => AtEnd ? throw new FormatException("Unexpected end") : text[_position];

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        public object? ReadValue()
        {
            SkipWhitespace();
            return Current switch
            {
                '{' => Nested(ReadObject),
                '[' => Nested(ReadArray),
                '"' or '\'' => ReadString(),
                _ => ReadBare(),
            };
        }

        private object? Nested(Func<object?> read)
        {
            if (++_depth > MaxDepth)
            {
                throw new FormatException("Too deep");
            }
            var value = read();
            _depth--;
            return value;
        }

        private Dictionary<string, object?> ReadObject()
        {
            var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
            _position++; // {
            SkipWhitespace();
            if (Current == '}')
            {
                _position++;
                return obj;
            }
            while (true)
            {
                SkipWhitespace();
                var key = Current is '"' or '\'' ? ReadString() : ReadIdentifier();
                SkipWhitespace();
                Expect(':');
                obj[key] = ReadValue();
                SkipWhitespace();
                if (Current == ',')
                {
                    _position++;
                    continue;
                }
                Expect('}');
                return obj;
            }
        }

        private List<object?> ReadArray()
        {
            var list = new List<object?>();
            _position++; // [
            SkipWhitespace();
            if (Current == ']')
            {
                _position++;
                return list;
            }
            while (true)
            {
                list.Add(ReadValue());
                SkipWhitespace();
                if (Current == ',')
                {
                    _position++;
                    continue;
                }
                Expect(']');
                return list;
            }
        }

        private string ReadString()
        {
            var quote = Current;
            _position++;
            var builder = new StringBuilder();
            while (Current != quote)
            {
                var c = text[_position++];
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }
                var escaped = Current;
                _position++;
                builder.Append(escaped switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    'u' => ReadUnicodeEscape(),
                    _ => escaped,
                });
            }
            _position++; // closing quote
            return builder.ToString();
        }

        private char ReadUnicodeEscape()
        {
            if (_position + 4 > text.Length
                || !ushort.TryParse(text.AsSpan(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException("Bad unicode escape");
            }
            _position += 4;
            return (char)code;
        }

        private string ReadIdentifier()
        {
            var start = _position;
            while (!AtEnd && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }
            return _position > start ? text[start.._position] : throw new FormatException("Expected a key");
        }

        private object? ReadBare()
        {
            var start = _position;
            while (!AtEnd && text[_position] is not (',' or '}' or ']') && !char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
            var token = text[start.._position];
            return token switch
            {
                "true" => true,
                "false" => false,
                "null" or "undefined" => null,
                _ when long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer,
                _ when double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
                _ => throw new FormatException("Unexpected token"),
            };
        }

        private void Expect(char expected)
        {
            if (Current != expected)
            {
                throw new FormatException($"Expected '{expected}'");
            }
            _position++;
        }
    }
}
