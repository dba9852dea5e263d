package org.varpart;

/**
 * Bad input for a whole run or fit: a file, a column or a value that cannot be used. The message
 * names the file, line, column and value, and says what to fix.
 */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
