/**
 * Reading and writing the library's JSON: required fields named in messages ({@code JsonFields}) and configs
 * written and read from one field list ({@code JsonForm}).
 */
package dev.nasnet.core.json;
