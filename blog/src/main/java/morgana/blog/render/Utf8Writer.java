package morgana.blog.render;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A writer that encodes to UTF-8 as it goes, into a growing array, for one thread: what a template renders into.
 * A {@link java.io.StringWriter} locks on every write, and its text becomes UTF-16 for the whole page as soon as one
 * character is beyond Latin-1 (a dash in the title), which then has to be encoded again; here the page leaves as
 * the bytes that are served. An unpaired surrogate is written as {@code ?}, as {@link String#getBytes} does.
 */
public final class Utf8Writer extends Writer {

    /** Strings this long, written whole, are encoded by the JDK rather than a character at a time. */
    private static final int WHOLE = 1024;

    private final char[] chunk = new char[4096];
    private byte[] bytes;
    private int length;
    /** A high surrogate written last, waiting for its low half. */
    private char pendingHigh;

    public Utf8Writer(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    @Override
    public void write(int c) {
        writeChar((char) c);
    }

    @Override
    public void write(char[] chars, int offset, int count) {
        int end = offset + count;
        for (int i = offset; i < end; ) {
            if (pendingHigh == 0) { // a run of ASCII, most of a page: a byte each, without a call per character
                ensure(end - i);
                byte[] out = bytes;
                int n = length;
                while (i < end && chars[i] < 0x80) {
                    out[n++] = (byte) chars[i++];
                }
                length = n;
                if (i == end) {
                    break;
                }
            }
            writeChar(chars[i++]);
        }
    }

    @Override
    public void write(String text, int offset, int count) {
        if (count >= WHOLE && offset == 0 && count == text.length() && pendingHigh == 0
                && !Character.isHighSurrogate(text.charAt(count - 1))) {
            // a post's body: the JDK's encoder, which checks a Latin-1 string for ASCII in one pass and copies it
            byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
            ensure(encoded.length);
            System.arraycopy(encoded, 0, bytes, length, encoded.length);
            length += encoded.length;
            return;
        }
        for (int from = offset; from < offset + count; from += chunk.length) { // through a buffer: nothing made per write
            int length = Math.min(chunk.length, offset + count - from);
            text.getChars(from, from + length, chunk, 0);
            write(chunk, 0, length);
        }
    }

    @Override
    public Utf8Writer append(CharSequence text) {
        String s = String.valueOf(text);
        write(s, 0, s.length());
        return this;
    }

    /** What was written, as a new array of its length (a surrogate left open at the end as {@code ?}). */
    public byte[] toByteArray() {
        if (pendingHigh != 0) {
            pendingHigh = 0;
            put((byte) '?');
        }
        return Arrays.copyOf(bytes, length);
    }

    /** Forgets what was written, keeping the array for the next page. */
    public void reset() {
        length = 0;
        pendingHigh = 0;
    }

    public int size() {
        return length;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    private void writeChar(char c) {
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int code = Character.toCodePoint(high, c);
                ensure(4);
                bytes[length++] = (byte) (0xF0 | code >> 18);
                bytes[length++] = (byte) (0x80 | (code >> 12 & 0x3F));
                bytes[length++] = (byte) (0x80 | (code >> 6 & 0x3F));
                bytes[length++] = (byte) (0x80 | (code & 0x3F));
                return;
            }
            put((byte) '?');
        }
        if (c < 0x80) {
            put((byte) c);
        } else if (c < 0x800) {
            ensure(2);
            bytes[length++] = (byte) (0xC0 | c >> 6);
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            put((byte) '?');
        } else {
            ensure(3);
            bytes[length++] = (byte) (0xE0 | c >> 12);
            bytes[length++] = (byte) (0x80 | (c >> 6 & 0x3F));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void put(byte b) {
        if (length == bytes.length) {
            ensure(1);
        }
        bytes[length++] = b;
    }

    /** Room for {@code more} bytes. */
    private void ensure(int more) {
        if (bytes.length - length < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
